import { Component, Project, TextFile } from 'projen';
import { ApiAuthorization, ApiEndpointType, MonitoringEngine, NetworkMode, ResolvedConfig, Severity } from '../../config';
import { ResourceNames } from '../../core/names/resource-names';
import { PINNED_ACTIONS } from '../../github/pinned-actions';

/** Where the generated repository keeps its threat model. */
export const THREAT_MODEL_PATH = 'docs/threat-model.md';

const SEVERITIES: Severity[] = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

function severitiesFrom(min: Severity): string {
  const from = SEVERITIES.slice(SEVERITIES.indexOf(min));
  return from.length === 1 ? from[0] : `${from.slice(0, -1).join(', ')} or ${from[from.length - 1]}`;
}

function list(items: string[]): string[] {
  return items.map((i) => `- ${i}`);
}

function section(title: string, threat: string, controls: string[], residual: string[]): string[] {
  return [`## ${title}`, '', threat, '', '**Controls in place**', '', ...list(controls), '', '**Residual risk**', '', ...list(residual), ''];
}

function approvals(config: ResolvedConfig): { gated: string[]; open: string[] } {
  const stages = config.deployment.stages;
  return { gated: stages.filter((s) => s.requireApproval).map((s) => `\`${s.name}\``), open: stages.filter((s) => !s.requireApproval).map((s) => `\`${s.name}\``) };
}

function packs(config: ResolvedConfig): string {
  const p = config.security.compliancePacks;
  return p.length > 0 ? p.map((x) => `\`${x}\``).join(', ') : 'none (the packs are switched off in the config)';
}

function dataPoisoning(config: ResolvedConfig): string[] {
  const c = config.data.contract;
  const t = config.training;
  const { gated, open } = approvals(config);
  const residual = [
    'Poisoned rows that stay inside the contract and shift no column past the drift thresholds pass the gate: targeted backdoors and label flips on a small share of rows look like ordinary data.',
    'The gate checks distributions, not who supplied each row: write access to the raw dataset prefix is the first line of defence.',
  ];
  if (config.monitoring.retrainOnDrift) {
    residual.push(`Retraining on drift is on: a campaign that moves live traffic starts a training run on the drifted data (at most every ${config.monitoring.retrainCooldownHours} h); the gate, the registration bar and approvals still stand in between.`);
  }
  if (open.length > 0) residual.push(`Stage(s) ${open.join(', ')} deploy a registered model without a person approving it.`);
  return section('Data poisoning',
    'Someone who can write to the training data shifts what the model learns, to degrade it or to plant behaviour for chosen inputs.',
    [
      `A data contract of ${c.columns.length} columns (types, ranges, allowed values, null ratios), at least ${c.minRows} rows and ${c.maxDuplicateRows === 0 ? 'no' : `at most ${c.maxDuplicateRows}`} duplicate rows${c.keyColumns.length > 0 ? ` by key ${c.keyColumns.map((k) => `\`${k}\``).join(', ')}` : ''}, checked on every dataset before training; the pipeline stops on a violation.`,
      `Drift against the baseline profile blocks the gate past PSI ${config.data.driftPsiThreshold} or KS ${config.data.driftKsThreshold} on any column.`,
      `A model is registered only when ${t.evaluationMetric} ${t.metricHigherIsBetter ? '>=' : '<='} ${t.metricThreshold} on a ${Math.round(t.holdoutFraction * 100)}% holdout, and as a new version awaiting approval.`,
      gated.length > 0 ? `A person approves each rollout to ${gated.join(', ')}.` : 'No stage requires an approval: the registration bar is the last check.',
      'The raw bucket keeps object versions and server access logs, so a changed dataset can be seen, attributed and restored.',
      'Each pipeline run gates the dataset into its own prefix and writes a manifest of the object versions it passed with their SHA-256; training checks every file against it, so data changed or added after the gate is never trained on. Failed files are quarantined, not deleted.',
      `Each registered model records its commit, dataset manifest and training job (\`aidlc lineage\` prints the chain); validated datasets are kept ${config.data.validatedRetentionDays} days.`,
    ],
    residual);
}

function modelTheft(config: ResolvedConfig): string[] {
  return section('Model theft',
    'Someone copies the model artifacts, or reconstructs the model by querying the endpoint many times.',
    [
      `Model artifacts, datasets and captures are encrypted with the customer managed key \`${new ResourceNames(config).keyAlias}\`; reading them takes both S3 and KMS permissions.`,
      `The training pipeline signs each model artifact's SHA-256 with the KMS key \`${new ResourceNames(config).signingKeyAlias}\` (only its signing step may sign), and every deploy verifies digest and signature first: a replaced or altered artifact is refused.`,
      'The endpoint has no public URL: every invocation is an IAM-signed call, so only principals granted `sagemaker:InvokeEndpoint` on it can query it.',
      ...apiAccessControls(config),
      'Every policy is audited at synth: no `*` or `service:*` action for any role or service (a key policy may only delegate the key to the account\'s IAM), `*` resources only for the few actions that accept nothing narrower, no AWS managed policies.',
      'CI reaches AWS through GitHub OIDC roles bound to this repository, its branch and its environments; no long-lived keys exist to leak.',
      `The cdk-nag packs ${packs(config)} and the AWS Control Tower proactive controls run on every synth, and the build fails on an unacknowledged finding.`,
    ],
    [
      apiResidual(config),
      'Administrators of the account can read everything; separating them is an account-level matter (SCPs, permission boundaries).',
    ]);
}

/** How applications reach the model, when the inference API is on. */
function apiAccessControls(config: ResolvedConfig): string[] {
  const a = config.serving.api;
  if (!a.enabled) return [];
  const auth = a.authorization === ApiAuthorization.IAM
    ? 'IAM-signed (SigV4) calls by principals granted `execute-api:Invoke`'
    : 'calls with a Cognito access token carrying the API\'s `invoke` scope';
  return [
    `Applications reach the model through each stage's inference API only: ${auth}, each with an API key of its own (${a.consumers.map((c) => `\`${c}\``).join(', ')}). TLS below 1.2 is refused.`,
    apiReach(config),
    `Each API key is throttled to ${a.rateLimit} requests per second (bursts of ${a.burstLimit}) and held to ${a.quotaLimit} requests per ${a.quotaPeriod.toLowerCase()}; the stage to ${a.stageRateLimit} per second; AWS WAF blocks an address after ${a.wafRateLimit} requests in 5 minutes.`,
    'Every call is in the API\'s access log (caller, API key, status, no bodies) and in the WAF log; an alarm fires when more than '
      + `${a.clientErrorAlarmPercent}% of calls are rejected.`,
  ];
}

/** Where the API answers: on the internet, or only through an execute-api endpoint. */
function apiReach(config: ResolvedConfig): string {
  const a = config.serving.api;
  if (a.endpointType !== ApiEndpointType.PRIVATE) {
    return 'The API is regional: it answers on the internet, so authentication, API keys, throttling and AWS WAF are what stand in front of it.';
  }
  const through = a.vpcEndpointIds
    ? `the landing zone's execute-api endpoint (${a.vpcEndpointIds.map((id) => `\`${id}\``).join(', ')})`
    : `the network's execute-api endpoint, whose security group admits ${(a.callerCidrs ?? []).length > 0 ? a.callerCidrs!.map((c) => `\`${c}\``).join(', ') : 'only the model\'s own workloads'}`;
  return `The API is private: it answers only through ${through}, and its resource policy refuses every other source; from the internet it cannot be reached at all. The smoke test after each deploy calls it from inside the VPC.`;
}

/** What a private API leaves to the network around it. */
function privateApiResidual(config: ResolvedConfig): string[] {
  const a = config.serving.api;
  if (!a.enabled || a.endpointType !== ApiEndpointType.PRIVATE) return [];
  if (a.vpcEndpointIds) {
    return ['The landing zone\'s execute-api endpoint, its policy and who may reach it belong to the landing zone: this repository neither creates nor checks them.'];
  }
  return [
    'The execute-api endpoint lets any caller that reaches it invoke `POST /invocations` of this account\'s APIs: callers with tokens or API keys carry no AWS identity, so the APIs\' authorization, keys and resource policies decide who is served.'
      + (config.network.mode === NetworkMode.IMPORT_VPC ? ' With its private DNS on, every execute-api hostname in the VPC resolves to it: public APIs of other teams are no longer reachable from the VPC by their default hostnames, and a VPC holds one such endpoint.' : ''),
  ];
}

function apiResidual(config: ResolvedConfig): string {
  const a = config.serving.api;
  if (!a.enabled) return 'A principal allowed to invoke the endpoint can still query it at volume to approximate the model; with the inference API off (`serving.api.enabled`) no per-caller quota applies.';
  return `A caller within its limits can still send ${a.quotaLimit} requests per ${a.quotaPeriod.toLowerCase()} per key to approximate the model; a leaked key is bounded by its quota until it is disabled, and keys are per caller so one can be revoked alone.`;
}

function adversarialInput(config: ResolvedConfig): string[] {
  const m = config.monitoring;
  const d = config.deployment;
  const canary = d.stages.filter((s) => s.canary).map((s) => `\`${s.name}\``);
  return section('Adversarial input',
    'Inputs crafted to make the model answer wrongly, or a shift in live traffic the model was not trained for.',
    [
      `${m.dataCapturePercent}% of requests and responses are captured from each endpoint.`,
      `${m.engine === MonitoringEngine.BUILTIN ? 'The built-in drift engine' : 'SageMaker Model Monitor'} compares the captured traffic with the training baseline on the schedule \`${m.schedule}\` over a ${m.windowHours} h window, alerting past PSI ${config.data.driftPsiThreshold} or KS ${config.data.driftKsThreshold}${m.alertEmail ? ` (to ${m.alertEmail})` : ''}.`,
      canary.length > 0
        ? `${canary.join(', ')} ${canary.length === 1 ? 'rolls' : 'roll'} out ${d.trafficRouting.toLowerCase()} (${d.canaryPercent}% first, ${d.bakeMinutes} min bake) and ${canary.length === 1 ? 'rolls' : 'roll'} back on ${canary.length === 1 ? 'its' : 'their'} own above ${d.rollback5xxPercent}% 5xx errors or ${d.rollbackP99LatencyMs} ms p99 latency.`
        : `Rollouts roll back on their own above ${d.rollback5xxPercent}% 5xx errors or ${d.rollbackP99LatencyMs} ms p99 latency during the bake.`,
      m.retrainOnDrift ? `Sustained drift starts a retraining run, at most every ${m.retrainCooldownHours} h.` : 'Drift alerts a person; retraining on drift is off.',
      ...(config.serving.api.enabled ? [
        `The inference API validates every request against the data contract before the model sees it (required features, types, ranges, allowed values, no unknown columns, at most ${config.serving.api.maxBatchSize} rows; \`data/request.schema.json\`): anything else gets a 400 that says which rule it broke.`,
        'AWS WAF screens requests with the AWS managed common and known-bad-inputs rule groups.',
      ] : []),
    ],
    [
      'Single adversarial examples inside the training distribution are not detected: drift is measured on aggregates, after the schedule and window elapse.',
      config.serving.api.enabled
        ? 'Values inside the contract\'s bounds reach the model whatever their intent; a principal granted `sagemaker:InvokeEndpoint` directly bypasses the API and its validation.'
        : 'The endpoint validates nothing beyond what the inference container parses: the inference API is off (`serving.api.enabled`), so input validation falls to the model\'s serving code.',
    ]);
}

/** What the network section puts between the workloads and the internet, as controls and what remains. */
function networkBoundary(config: ResolvedConfig): { controls: string[]; residual: string[] } {
  const n = config.network;
  if (n.mode === NetworkMode.NONE) {
    return {
      controls: ['SageMaker training, processing and Model Monitor jobs and the endpoint\'s model run with network isolation: their containers have no network route out. The synth fails on any job or model without it.'],
      residual: [
        `The network section is switched off (\`network.mode\` NONE): ${n.optOutReason}. The data gate and drift functions run outside any VPC and can reach the internet: only their roles limit what they read, and the lake accepts reads from anywhere IAM allows.`,
      ],
    };
  }
  const where = n.mode === NetworkMode.CREATE_VPC
    ? `a VPC of its own (\`${n.cidr}\`, ${n.availabilityZoneCount} zones) with private isolated subnets only: no internet gateway, no NAT gateway, no route out, the default security group closed and every flow logged (encrypted)`
    : `the existing VPC \`${n.vpcId}\`, subnets ${(n.subnetIds ?? []).map((s) => `\`${s}\``).join(', ')}`;
  const endpoints = n.createEndpoints
    ? `AWS is reached through an S3 gateway endpoint${n.interfaceEndpoints.length > 0 ? ` and interface endpoints (${n.interfaceEndpoints.map((e) => `\`${e.service}\``).join(', ')})` : ''}, whose policies admit only this model's roles (tag \`aidlc:model=${config.modelName}\`) acting on this account's resources.`
    : `AWS is reached through the landing zone's endpoints (HTTPS to ${(n.endpointCidrs ?? []).map((c) => `\`${c}\``).join(', ')}) and S3 through the region's S3 prefix list.`;
  return {
    controls: [
      `Training, processing and Model Monitor jobs, the endpoint's instances and the data gate and drift functions run in ${where}.`,
      'The jobs and the model also run with network isolation: their containers have no network at all; SageMaker moves data, checkpoints and models through the private subnets.',
      endpoints,
      'Each workload has its own security group: no ingress, egress HTTPS only to the endpoints\' security group and the S3 prefix list. The endpoints admit only those groups. No group anywhere admits 0.0.0.0/0.',
      `The raw, validated and quarantine buckets and the captured traffic refuse reads that do not come through the network (\`${n.createEndpoints || n.s3EndpointId ? 'aws:SourceVpce' : 'aws:SourceVpc'}\`), except two named roles that read datasets from outside by design: \`${new ResourceNames(config).githubReadRole}\` (the GitHub scan and gate jobs) and \`${new ResourceNames(config).gateBuildRole}\` (the pipeline's Gate step on CodeBuild).`,
      'The synth-time network audit fails the build on a job, model or function outside the private subnets, an open security group, a route to the internet, or a data bucket without that refusal.',
      ...(privateSmokeTest(config) ? ['The smoke test of the private API runs on CodeBuild in the private subnets, with a security group of its own like the other workloads, from the CLI the Deploy step hands on: it installs nothing there.'] : []),
    ],
    residual: [
      'The GitHub status reporter runs outside the VPC: it must reach api.github.com. Its role reaches only its token secret and this pipeline\'s executions, and it reads no data.',
      `The CodeBuild steps of the delivery pipeline${privateSmokeTest(config) ? ' (but the private API\'s smoke test)' : ''} and the CDK custom resource that closes the default security group run outside the VPC: they install packages from npm, run \`cdk deploy\` and configure the network itself. None of them reads captured traffic; the Gate step, which reads the raw dataset, is one of the two named roles.`,
      ...privateApiResidual(config),
      'Requests an AWS service makes on a principal\'s behalf (Athena, Glue) are not refused by the buckets: the principal\'s own IAM permissions decide them.',
      ...(n.mode === NetworkMode.IMPORT_VPC && !n.createEndpoints ? ['The endpoints, routes and flow logs of the imported VPC belong to the landing zone: this repository neither creates nor checks them.'] : []),
    ],
  };
}

/** Whether the smoke test runs inside the network (a private API). */
function privateSmokeTest(config: ResolvedConfig): boolean {
  return config.serving.api.enabled && config.serving.api.endpointType === ApiEndpointType.PRIVATE;
}

function exfiltration(config: ResolvedConfig): string[] {
  const boundary = networkBoundary(config);
  return section('Data exfiltration',
    'Training data, captured requests or predictions leave the account through a job, a role or a bucket.',
    [
      ...boundary.controls,
      'Buckets block public access, refuse requests without TLS, and encrypt with the customer managed key; access is logged.',
      'Roles are scoped to the model\'s own buckets, keys, pipelines and endpoints, and the audit at synth rejects wildcards.',
      `The GitHub read role used by the scan and gate jobs can only read; deployment roles are bound to ${config.deployment.stages.map((s) => `\`${s.name}\``).join(', ')} environments.`,
    ],
    [
      'A principal with legitimate read access can copy what it can read; account-level CloudTrail data events and GuardDuty, which the product assumes but does not create, are what show it.',
      'Predictions return to whoever may invoke the endpoint, and what they reveal about the training data depends on the model.',
      ...boundary.residual,
    ]);
}

function supplyChain(config: ResolvedConfig): string[] {
  const t = config.training;
  return section('Supply chain',
    'A dependency, an action, a container image or a tool is replaced by a malicious version that runs with the chain\'s credentials.',
    [
      `Every GitHub Action is pinned by full commit SHA (${PINNED_ACTIONS.length} pins), not by a tag that can be moved.`,
      'Trivy runs from a pinned release checked against its sha256, and scans dependencies, secrets and the synthesized templates on every push.',
      `Scans fail the build on ${severitiesFrom(config.security.failOnSeverity)} findings.`,
      t.customImageUri
        ? `Training runs the image \`${t.customImageUri}\` you build; pin it by digest.`
        : `Training runs the AWS ${t.framework} ${t.frameworkVersion} framework image, a fixed version.`,
      'Dependencies are locked by the lockfile and installed with `npm ci` in CI.',
    ],
    [
      'A pin trusts the action\'s author as of the pinned commit; reviewing pin updates is on the reviewer.',
      'Scanners find known vulnerabilities only; a malicious package without an advisory passes.',
      'Python packages the training script installs at run time are not locked by this repository.',
    ]);
}

/** The threat model of a generated repository, drawn from its config. */
export function threatModelLines(config: ResolvedConfig): string[] {
  return [
    `# Threat model: ${config.modelName}`,
    '',
    '<!-- Generated by projen from .projenrc.ts: edit the config there and run `npx projen`. -->',
    '',
    `The ML-specific threats to the \`${config.modelName}\` model and the controls this repository puts against each,`,
    'with what remains. Every number below comes from the config, so this page changes when the config does.',
    '`docs/compliance-report.md` (from `aidlc report compliance`) shows where each control sits in the synthesized templates.',
    '',
    ...dataPoisoning(config),
    ...modelTheft(config),
    ...adversarialInput(config),
    ...exfiltration(config),
    ...supplyChain(config),
    '## Outside this model',
    '',
    ...list([
      'Account-level controls: CloudTrail, GuardDuty, AWS Config, service control policies.',
      'Fairness and harm of the model\'s decisions for the people they concern.',
      'Availability attacks on the endpoint beyond what autoscaling absorbs.',
    ]),
    '',
  ];
}

/** `docs/threat-model.md` (managed): regenerated by `npx projen` from the config. */
export class ThreatModel extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project, 'ThreatModel');
    new TextFile(project, THREAT_MODEL_PATH, { lines: threatModelLines(config) });
  }
}
