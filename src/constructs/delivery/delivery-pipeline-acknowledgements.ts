import { Aws, Stack } from 'aws-cdk-lib';
import { IProject } from 'aws-cdk-lib/aws-codebuild';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgeFindings, controlTowerRule, inCompliancePacks } from './acknowledge';
import { SMOKE_TEST_INTERFACES_REASON, smokeTestInterfaceArns } from './smoke-test-network';
import { VPC_DESCRIBE_REASON } from '../network/vpc-access';

/** The resources the pipeline's wildcard grants are about. */
export interface DeliveryPipelineGrants {
  readonly artifactBucket: IBucket;
  readonly projects: IProject[];
  /** The Gate's project, and the bucket whose objects it reads. */
  readonly gate: { readonly project: IProject; readonly datasetBucket: IBucket; readonly role?: IConstruct };
  /** The Train project, the executions of the training pipeline it follows and the manifests it reads. */
  readonly train: { readonly project: IProject; readonly executionsArn: string; readonly manifestsArn: string };
  /** The approval project, and the model packages it approves. */
  readonly approval: { readonly project: IProject; readonly modelPackagesArn: string };
  /** The Gate's project, and the run-scoped prefixes it writes. */
  readonly gateRuns: { readonly project: IProject; readonly objectArns: string[] };
  /** The Deploy project, the model packages it verifies and the artifacts it hashes. */
  readonly deploy: { readonly project: IProject; readonly modelPackagesArn: string; readonly artifactsArn: string };
  /** The smoke test project, and what it reads and calls, when the pipeline has one. */
  readonly smokeTest?: {
    readonly project: IProject;
    readonly resources: { readonly stacks: string[]; readonly invocations: string[]; readonly apiKeys: string; readonly userPools: string };
    /** Whether it runs inside the model's network (its role then manages the build's network interfaces). */
    readonly inNetwork?: boolean;
  };
}

/** Actions aws-cdk-lib grants a pipeline and its actions on the artifact bucket and key. */
const ARTIFACT_GRANT_ACTIONS = [
  's3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*',
  'kms:ReEncrypt*', 'kms:GenerateDataKey*',
];

/** The smoke test's wildcards: resources whose ids the serving stacks get only when they deploy. */
function smokeTestWildcards(grants: DeliveryPipelineGrants) {
  const smoke = grants.smokeTest;
  if (!smoke) return [];
  const r = smoke.resources;
  return [
    {
      findings: (text: (v: string) => string) => r.stacks.map((s) => `Resource::${text(s)}`),
      reason: 'A stack ARN ends in an id CloudFormation assigns when the stack is created; the name is fixed, and only DescribeStacks (its outputs) is granted.',
      within: smoke.project,
    },
    {
      findings: (text: (v: string) => string) => r.invocations.map((i) => `Resource::${text(i)}`),
      reason: 'The serving stacks deploy after this one, so their APIs\' ids are unknown here; the grant is limited to POST /invocations of the named stage.',
      within: smoke.project,
    },
    {
      findings: (text: (v: string) => string) => [`Resource::${text(r.apiKeys)}`, `Resource::${text(r.userPools)}`],
      reason: 'API key and user pool ids are assigned when the serving stacks deploy; reads are limited by tag to the model\'s resources marked as the smoke test\'s own (aws:ResourceTag conditions).',
      within: smoke.project,
    },
    ...(smoke.inNetwork ? [
      {
        findings: (text: (v: string) => string) => smokeTestInterfaceArns(smoke.project).map((arn) => `Resource::${text(arn)}`),
        reason: SMOKE_TEST_INTERFACES_REASON,
        within: smoke.project,
      },
      {
        findings: () => ['Resource::*'],
        reason: VPC_DESCRIBE_REASON,
        within: smoke.project,
      },
    ] : []),
  ];
}

/**
 * Every compliance finding {@link DeliveryPipeline} accepts, with its reason.
 */
export function acknowledgeDeliveryPipeline(scope: IConstruct, grants: DeliveryPipelineGrants): void {
  const stack = Stack.of(scope);
  acknowledgeFindings(scope, [
    {
      ids: inCompliancePacks('IAMNoInlinePolicy'),
      reason: 'Each role (pipeline, action, CodeBuild step) carries its own policy, created and deleted with the role; no other principal can be given it by mistake, which a reusable managed policy would allow.',
    },
    {
      ids: ['HIPAA.Security-CodeBuildProjectSourceRepoUrl', 'PCI.DSS.321-CodeBuildProjectSourceRepoUrl'],
      reason: 'The projects have no repository URL: their source is the pipeline artifact (source type CODEPIPELINE), fetched by CodePipeline through the CodeConnections connection, so there is no credential for OAuth to replace.',
    },
    {
      ids: [controlTowerRule('s3_bucket_logging_enabled_check')],
      reason: 'Server access logging is configured: into the lake\'s access-log bucket, whose name is imported from the data stack (Fn::ImportValue); the control accepts only a literal name or a reference within the same template.',
      on: grants.artifactBucket,
    },
    {
      ids: inCompliancePacks('S3BucketReplicationEnabled'),
      reason: 'The artifact bucket holds intermediate copies of a commit that GitHub keeps; any execution can be rerun from the commit, so a replica adds cost without recovery value.',
    },
  ], [
    {
      findings: () => ARTIFACT_GRANT_ACTIONS.map((a) => `Action::${a}`),
      reason: 'The grants aws-cdk-lib gives a pipeline and its CodeBuild steps to pass artifacts: read/write of the objects of the one artifact bucket and use of its one key; the prefixes cover the object versions, tags and multipart parts of those objects.',
    },
    {
      findings: (text) => [`Resource::${text(grants.artifactBucket.arnForObjects('*'))}`],
      reason: 'Artifact object keys are generated per execution by CodePipeline; access is to the pipeline\'s own artifact bucket only.',
    },
    {
      findings: (text) => grants.projects.flatMap((p) => [
        `Resource::${text(`arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:/aws/codebuild/${p.projectName}:*`)}`,
        `Resource::${text(`arn:${Aws.PARTITION}:codebuild:${stack.region}:${stack.account}:report-group/${p.projectName}-*`)}`,
      ]),
      reason: 'aws-cdk-lib grants every CodeBuild project its default log group (streams are named per build) and report groups named after the project; builds log to the project\'s own KMS-encrypted log group.',
    },
    {
      findings: (text) => [`Resource::${text(grants.gate.datasetBucket.arnForObjects('*'))}`],
      reason: 'The Gate reads whichever dataset the DATASET_URI variable names, an object of the model\'s raw bucket; GetObject is the only object action granted.',
      within: grants.gate.role ?? grants.gate.project,
    },
    {
      findings: (text) => [`Resource::${text(grants.train.executionsArn)}`],
      reason: 'Executions of the one training pipeline get generated ids; Train only describes them and lists their steps.',
      within: grants.train.project,
    },
    {
      findings: (text) => grants.gateRuns.objectArns.map((arn) => `Resource::${text(arn)}`),
      reason: 'Each Gate run writes its copies, reports and manifest under runs/<execution id>/ of the model\'s validated and quarantine prefixes; the execution id is known only at run time.',
      within: grants.gate.role ?? grants.gateRuns.project,
    },
    {
      findings: (text) => [`Resource::${text(grants.train.manifestsArn)}`],
      reason: 'Train reads the manifest of the Gate run of its own execution (runs/<execution id>/manifest.json), known only at run time; GetObject only.',
      within: grants.train.project,
    },
    {
      findings: (text) => [`Resource::${text(grants.deploy.modelPackagesArn)}`, `Resource::${text(grants.deploy.artifactsArn)}`],
      reason: 'Deploy verifies the approved model package version (numbered by SageMaker) and hashes its artifact, written per training execution under the training pipeline\'s own prefix; describe and read only.',
      within: grants.deploy.project,
    },
    {
      findings: (text) => [`Resource::${text(grants.approval.modelPackagesArn)}`],
      reason: 'Model package versions of the model\'s one package group are numbered by SageMaker; only UpdateModelPackage (the approval) is granted.',
      within: grants.approval.project,
    },
    ...smokeTestWildcards(grants),
  ]);
}
