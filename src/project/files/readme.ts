import { Component, Project, TextFile } from 'projen';
import { chainDiagram } from './mermaid';
import { ApiAuthorization, ApiEndpointType, MonitoringEngine, NetworkMode, ResolvedConfig } from '../../config';
import { GITHUB_VARIABLES, ResourceNames, hasNetworkStack } from '../../core/names/resource-names';

function configTable(config: ResolvedConfig): string[] {
  const t = config.training;
  const d = config.deployment;
  const m = config.monitoring;
  const cost = t.cost
    ? `about $${t.cost.onDemandUsdPerRun} on-demand, $${t.cost.spotUsdPerRun} ${t.useSpot ? 'on Spot' : '(Spot off)'} for a run that uses the whole max runtime (${t.cost.source})`
    : `not in the price table for ${t.instanceType} in ${config.aws.region}`;
  return [
    '| setting | value |',
    '|---|---|',
    `| repository | \`${config.github.repository}\`, chain runs on pushes to \`${config.github.branch}\` |`,
    `| region / account | \`${config.aws.region}\` / ${config.aws.account ? `\`${config.aws.account}\`` : 'from the deploy credentials'} |`,
    `| data contract | ${config.data.contract.columns.length} columns, target \`${config.data.contract.targetColumn}\`, key ${config.data.contract.keyColumns.map((k) => `\`${k}\``).join(', ') || 'none'}, at least ${config.data.contract.minRows} rows |`,
    `| drift thresholds | PSI > ${config.data.driftPsiThreshold}, KS > ${config.data.driftKsThreshold} |`,
    `| training | ${t.framework} ${t.frameworkVersion}, ${t.instanceCount} x \`${t.instanceType}\`, ${t.useSpot ? `Spot (max wait ${t.maxWaitSeconds} s)` : 'on-demand'}, max runtime ${t.maxRuntimeSeconds} s, checkpoint every ${t.checkpointIntervalRounds} rounds |`,
    `| training cost estimate | ${cost} |`,
    `| registration bar | ${t.evaluationMetric} ${t.metricHigherIsBetter ? '>=' : '<='} ${t.metricThreshold} on a ${Math.round(t.holdoutFraction * 100)}% holdout |`,
    `| stages | ${d.stages.map((s) => `\`${s.name}\` (${s.instanceCount} x \`${d.instanceType}\`, ${s.canary ? `${d.trafficRouting.toLowerCase()} ${d.canaryPercent}%` : 'all at once'}${s.requireApproval ? ', approval' : ''})`).join(' then ')} |`,
    `| inference API | ${apiSummary(config)} |`,
    `| monitoring | ${m.engine === MonitoringEngine.BUILTIN ? 'built-in drift engine' : 'SageMaker Model Monitor'}, \`${m.schedule}\`, ${m.dataCapturePercent}% data capture, ${m.windowHours} h window${m.retrainOnDrift ? `, retrains on drift (cooldown ${m.retrainCooldownHours} h)` : ''} |`,
    `| security | scans fail at ${config.security.failOnSeverity}; compliance packs: ${config.security.compliancePacks.join(', ') || 'none'} |`,
    `| network | ${networkRow(config)} |`,
  ];
}

function networkRow(config: ResolvedConfig): string {
  const n = config.network;
  if (n.mode === NetworkMode.NONE) return `none: ${(n.optOutReason ?? '').replace(/\|/g, '/')}`;
  const endpoints = n.createEndpoints
    ? `S3 gateway endpoint${n.interfaceEndpoints.length > 0 ? ` and ${n.interfaceEndpoints.map((e) => `\`${e.service}\``).join(', ')}` : ''}`
    : `the landing zone's endpoints (${(n.endpointCidrs ?? []).map((c) => `\`${c}\``).join(', ')})`;
  const cost = n.cost
    ? `; idle cost about $${n.cost.idleUsdPerMonth}/month (${n.cost.interfaceEndpoints} interface endpoint(s) x ${n.cost.availabilityZones} zones x 730 h x $${n.cost.usdPerEndpointAzHour}, ${n.cost.source})`
    : '';
  const vpc = n.mode === NetworkMode.CREATE_VPC ? `new VPC \`${n.cidr}\`, ${n.availabilityZoneCount} zones, private isolated subnets, no internet` : `existing VPC \`${n.vpcId}\``;
  return `${vpc}; ${endpoints}${cost}`;
}

function apiSummary(config: ResolvedConfig): string {
  const a = config.serving.api;
  if (!a.enabled) return 'off: applications call the SageMaker endpoints directly';
  const auth = a.authorization === ApiAuthorization.IAM ? 'IAM (SigV4)' : 'Cognito access tokens';
  return `\`POST /<stage>/invocations\` per stage, ${whereItAnswers(config)}, ${auth} + an API key per caller (${a.consumers.map((c) => `\`${c}\``).join(', ')}); `
    + `per key ${a.rateLimit}/s (burst ${a.burstLimit}) and ${a.quotaLimit} per ${a.quotaPeriod.toLowerCase()}, per stage ${a.stageRateLimit}/s (burst ${a.stageBurstLimit}); `
    + `1 to ${a.maxBatchSize} rows per request, checked against \`data/request.schema.json\`; WAF blocks an address after ${a.wafRateLimit} requests in 5 min`;
}

/** The API's endpoint type, and for a private one the execute-api endpoint it answers through. */
function whereItAnswers(config: ResolvedConfig): string {
  const a = config.serving.api;
  if (a.endpointType !== ApiEndpointType.PRIVATE) return 'regional (on the internet)';
  if (a.vpcEndpointIds) return `private, through the landing zone's execute-api endpoint ${a.vpcEndpointIds.map((id) => `\`${id}\``).join(', ')}`;
  const callers = (a.callerCidrs ?? []).length > 0 ? `, callers from ${a.callerCidrs!.map((c) => `\`${c}\``).join(', ')}` : ', no callers but the smoke test until `serving.api.callerCidrs` lists some';
  return `private, through the network's execute-api endpoint${callers}`;
}

/** Where a private API can be called from, and its URL forms. */
function privateApiAccess(config: ResolvedConfig): string[] {
  const a = config.serving.api;
  if (a.endpointType !== ApiEndpointType.PRIVATE) return [];
  const region = config.aws.region;
  const network = config.network.mode === NetworkMode.IMPORT_VPC ? `the VPC \`${config.network.vpcId}\`` : 'the model\'s VPC';
  const endpoint = a.vpcEndpointIds
    ? `the landing zone's execute-api endpoint (${a.vpcEndpointIds.map((id) => `\`${id}\``).join(', ')})`
    : `the network stack's execute-api endpoint, whose security group admits ${(a.callerCidrs ?? []).length > 0 ? a.callerCidrs!.map((c) => `\`${c}\``).join(', ') : 'only the model\'s own workloads (list callers in `serving.api.callerCidrs`)'}`;
  return [
    `The API is **private** (\`serving.api.endpointType\` PRIVATE): it answers only through ${endpoint}, so it is reached only`,
    `from inside ${network} or from networks connected to it; its resource policy refuses every other source${a.authorization === ApiAuthorization.IAM ? ', and principals of other accounts' : ''}. Where the`,
    'endpoint\'s private DNS is on, the URL above resolves to it; from a network without that DNS, call',
    `\`https://<api-id>-<vpce-id>.execute-api.${region}.amazonaws.com/<stage>/invocations\`, the alias API Gateway keeps for each`,
    'endpoint the API is associated with. `npx aidlc invoke` works from a machine in such a network. The pipeline\'s smoke',
    'test runs inside the VPC, in its private subnets, from the CLI the Deploy step hands on.',
    '',
  ];
}

/** How to call a stage's API, when the config has one. */
function callingTheModel(config: ResolvedConfig): string[] {
  const a = config.serving.api;
  if (!a.enabled) return [];
  const [first] = config.deployment.stages;
  const names = new ResourceNames(config);
  const stack = names.stack(`serving-${first.name}`);
  const cognito = a.authorization === ApiAuthorization.COGNITO;
  return [
    '## Calling the model',
    '',
    `Each stage has an inference API in front of its endpoint: \`POST https://<api-id>.execute-api.${config.aws.region}.amazonaws.com/<stage>/invocations\``,
    'with a JSON body `{"instances": [ {<column>: <value>, ...}, ... ]}`. Every feature column of the contract is required, the label',
    `(\`${config.data.contract.targetColumn}\`) is refused, and a request that breaks \`data/request.schema.json\` gets a 400 saying which rule it broke,`,
    'before the model sees it. Each stage\'s stack outputs the URL (`InferenceApiUrl`) and the API key ids by caller (`InferenceApiKeyIds`).',
    '',
    ...privateApiAccess(config),
    '```sh',
    `npx aidlc invoke --stage ${first.name} --file rows.csv     # checks each row, signs, sends in batches, prints one prediction per line`,
    `npx aidlc smoke-test --stage ${first.name}                 # what the pipeline runs after each deploy`,
    '```',
    '',
    cognito
      ? 'Callers send an access token with the scope `<model>-<stage>-api/invoke` from the stage\'s user pool (output `InferenceApiTokenUrl`, client credentials grant) and their API key (`x-api-key`). Add a client per application with `aws cognito-idp create-user-pool-client --generate-secret --allowed-o-auth-flows client_credentials --allowed-o-auth-scopes <scope> --allowed-o-auth-flows-user-pool-client`.'
      : 'Callers sign with SigV4 (service `execute-api`) as a principal granted `execute-api:Invoke` on the API, and send their API key (`x-api-key`):',
    ...(cognito ? [] : [
      '',
      '```sh',
      `KEY=$(aws apigateway get-api-key --include-value --query value --output text --api-key <id from ${stack}'s InferenceApiKeyIds>)`,
      `curl --aws-sigv4 "aws:amz:${config.aws.region}:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \\`,
      '  -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H "x-api-key: $KEY" -H "content-type: application/json" \\',
      '  -d @request.json "<InferenceApiUrl>"',
      '```',
    ]),
    '',
    'Throttled requests get 429 with `Retry-After`; a used-up quota gets 429 with `"type": "QUOTA_EXCEEDED"`. New callers: add them to',
    '`serving.api.consumers` in `.projenrc.ts` for a key of their own.',
    '',
  ];
}

/**
 * The generated repository's README.md (managed): what the chain does, drawn from the config,
 * how to work in the repository and what to do once before the first deploy.
 */
export class GeneratedReadme extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project);
    const names = new ResourceNames(config);
    const first = hasNetworkStack(config) ? ['network', 'data', 'training', 'delivery'] : ['data', 'training', 'delivery'];
    const stacks = [...first, ...config.deployment.stages.map((s) => `serving-${s.name}`), 'monitoring'].map((c) => `\`${names.stack(c)}\``);
    const lines = [
      `# ${config.modelName}`,
      '',
      '<!-- Generated by projen from .projenrc.ts: edit the config there and run `npx projen`. -->',
      '',
      `The repository of the \`${config.modelName}\` model, generated by [aidlc-pipeline](https://www.npmjs.com/package/aidlc-pipeline).`,
      `A push to \`${config.github.branch}\` scans the code, gates the training data, trains on SageMaker, registers the model,`,
      'waits for approval and rolls the endpoint out stage by stage; a schedule then watches the live endpoint for drift.',
      '',
      '## The chain',
      '',
      '```mermaid',
      chainDiagram(config),
      '```',
      '',
      '## The config',
      '',
      'Everything below comes from `.projenrc.ts`; `pipelines/aidlc.json` is the resolved copy the app, the CLI and CodeBuild read.',
      '',
      ...configTable(config),
      '',
      '## Working here',
      '',
      '| command | what it does |',
      '|---|---|',
      '| `npx projen` | regenerate every managed file from `.projenrc.ts` (fails, writing nothing, when the config is invalid) |',
      '| `npx projen build` | data gate on the sample; type check and eslint (on one program) beside `cdk synth` of every stack with the compliance packs; cfn-lint on every template; compliance report; unit tests |',
      '| `npx projen test` | the unit tests (jest) alone; `npx projen eslint` lints alone |',
      '| `npx projen data:gate` | check `' + config.data.samplePath + '` against `data/contract.json` and refresh the baseline profile |',
      '| `npx projen train:local` | gate, train and evaluate on the sample with the same scripts SageMaker runs, into `.aidlc/local/` (Python 3 with xgboost or scikit-learn and pandas; `PYTHON=/path/to/python3` picks the interpreter) |',
      '| `npx projen lint:cfn` | lint the templates in `cdk.out` with cfn-lint (`pip install cfn-lint`; settings and suppressions in `.cfnlintrc.yaml`) |',
      '| `npx aidlc gate --contract data/contract.json --data <file or s3://...>` | gate any dataset; report as JSON and Markdown |',
      ...(config.serving.api.enabled ? ['| `npx aidlc invoke --stage <stage> --file rows.csv` | score rows with a stage\'s inference API (see Calling the model) |'] : []),
      '',
      '| path | owner |',
      '|---|---|',
      '| `.projenrc.ts` | you: the one place to change the chain |',
      '| `training/*.py`, `data/sample.csv`, `test/*.test.ts` | you: written once, never overwritten |',
      `| \`.github/workflows/*\`, \`scripts/*\`, \`src/main.ts\`, \`pipelines/*.json\`, \`data/contract.json\`${config.serving.api.enabled ? ', `data/request.schema.json`' : ''}, this README | projen: regenerated, read-only |`,
      '',
      ...callingTheModel(config),
      '## Before the first deploy',
      '',
      `1. Bootstrap CDK in the account and region: \`npx cdk bootstrap aws://<account>/${config.aws.region}\`.`,
      '2. Create an AWS CodeConnections connection to GitHub, complete the handshake in the console, and set its ARN as',
      `   \`githubConnectionArn\` in \`.projenrc.ts\`${config.github.connectionIsPlaceholder ? ' (it is still the placeholder)' : ''}; run \`npx projen\`.`,
      `3. Deploy once from a workstation with admin credentials: \`npx cdk deploy ${stacks.slice(0, first.length).join(' ')}\`. This creates the`,
      '   GitHub OIDC roles the workflows assume from then on; no long-lived keys are stored in GitHub.',
      `4. Run \`npx aidlc github setup\` (with a GitHub token in \`GITHUB_TOKEN\`) to create the environments, protect \`${config.github.branch}\``,
      `   and set the repository variables \`${GITHUB_VARIABLES.readRoleArn}\` and \`${GITHUB_VARIABLES.deployRoleArn}\`. Set \`${GITHUB_VARIABLES.datasetUri}\` to the training`,
      '   dataset in the raw bucket once it is uploaded.',
      '',
      `Stacks: ${stacks.join(', ')}.`,
      '',
      '## What is proven here and what only an AWS account shows',
      '',
      'The build proves offline that every stack synthesizes, passes the compliance packs and the template tests, that the',
      'workflows are valid, that the sample data passes the gate and that the training script trains, checkpoints and resumes.',
      'Only a real account shows IAM decisions at run time, Spot capacity and interruptions, the canary shifting traffic',
      'and rolling back on its alarms, and data capture arriving for the monitor'
        + (config.serving.api.enabled ? '; and the inference API\'s validation, throttling and WAF on real requests, which the smoke test after each deploy checks.' : '.'),
      ...(config.network.mode === NetworkMode.NONE ? [] : [
        'For the network: that the endpoints\' private DNS names resolve inside the VPC, that SageMaker jobs and endpoint',
        'instances start in the private subnets and reach S3 through the gateway endpoint, that the account\'s limits on',
        'network interfaces (Lambda and SageMaker each create them per subnet and security group) and on interface endpoints',
        'per VPC hold, and that the S3 prefix list id is the region\'s.',
      ]),
      ...(config.serving.api.enabled && config.serving.api.endpointType === ApiEndpointType.PRIVATE ? [
        'For the private API: that the execute-api endpoint\'s private DNS resolves the API\'s hostname inside the VPC, and',
        'that the smoke test\'s build starts in the private subnets, fetches its inputs through the S3 endpoint and writes its log.',
      ] : []),
      '',
    ];
    new TextFile(project, 'README.md', { lines });
  }
}
