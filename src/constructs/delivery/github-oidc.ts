import { Duration, Stack } from 'aws-cdk-lib';
import { IOidcProvider, IRole, OidcProviderNative, PolicyStatement, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { assumeCdkBootstrapRoles, CDK_DEPLOY_ROLES, CDK_LOOKUP_ROLES, DEFAULT_CDK_QUALIFIER } from './cdk-bootstrap';
import { acknowledgeGithubOidc } from './github-oidc-acknowledgements';
import { branchContext, environmentContext, GITHUB_OIDC_HOST, githubSubjects, STS_AUDIENCE, SUBJECT_GUARD } from './github-subjects';
import { IDataLake } from '../data/data-lake-ref';

/**
 * Props of {@link GithubOidc}.
 */
export interface GithubOidcProps {
  /** Owner (user or organization) of the repository, e.g. `acme`. Case as GitHub spells it. */
  readonly repositoryOwner: string;
  /** Name of the repository, e.g. `churn`. Case as GitHub spells it. */
  readonly repositoryName: string;
  /**
   * The branch whose jobs may assume the roles.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * GitHub Environments whose jobs may assume the deploy role (a job that names an environment
   * sends `environment:NAME` in `sub` instead of its ref).
   * @default - none: only jobs of the branch
   */
  readonly deployEnvironments?: string[];
  /**
   * Numeric id of the repository owner. With `repositoryId`, pins the immutable `sub` form
   * (`repo:OWNER@OWNER_ID/REPO@REPO_ID:...`) to this exact repository.
   * @default - any owner id; the owner name stays pinned
   */
  readonly repositoryOwnerId?: string;
  /**
   * Numeric id of the repository. See `repositoryOwnerId`.
   * @default - any repository id; the repository name stays pinned
   */
  readonly repositoryId?: string;
  /**
   * ARN of the account's existing GitHub OIDC provider (an account holds one provider per URL).
   * @default - a new provider for `token.actions.githubusercontent.com` is created
   */
  readonly existingProviderArn?: string;
  /** The data lake whose raw and validated datasets the read-only role reads. */
  readonly lake: IDataLake;
  /**
   * Stack name prefix of the model's stacks, e.g. `churn-`: the read-only role may describe them.
   * @default - the read-only role describes no stack
   */
  readonly stackNamePrefix?: string;
  /**
   * ECR repositories whose images the read-only role may pull (the security workflow scans a
   * custom training image with it).
   * @default - none
   */
  readonly imageRepositoryArns?: string[];
  /**
   * Qualifier of the CDK bootstrap roles in this account and region.
   * @default 'hnb659fds'
   */
  readonly cdkQualifier?: string;
  /**
   * Physical name of the read-only role, for policies that must name it before it exists (the
   * lake's buckets let it read from outside the model's network).
   * @default - a generated name
   */
  readonly readRoleName?: string;
  /**
   * Longest session either role grants.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * GitHub Actions OIDC federation for one repository: the provider (new or imported) and two roles
 * that only that repository's branch (and, for the deploy role, its environments) can assume.
 *
 * - `readRole` (scan and gate jobs): reads the datasets with the lake key, describes the model's
 *   stacks, and may assume the CDK lookup role for `cdk synth`.
 * - `deployRole` (deploy and release jobs): may assume the CDK bootstrap deploy, file-publishing
 *   and lookup roles; grant it the delivery pipeline with `DeliveryPipeline.grantStart`.
 *
 * Both trust `aud = sts.amazonaws.com` and a `sub` in either form GitHub sends: the name form
 * `repo:OWNER/REPO:CONTEXT` and the immutable form `repo:OWNER@OWNER_ID/REPO@REPO_ID:CONTEXT`.
 */
export class GithubOidc extends Construct {
  /** The OIDC provider the roles trust. */
  public readonly provider: IOidcProvider;
  /** Role of the scan and gate jobs. */
  public readonly readRole: IRole;
  /** Role of the deploy and release jobs. */
  public readonly deployRole: IRole;
  /** `sub` patterns the read-only role accepts. */
  public readonly readSubjects: string[];
  /** `sub` patterns the deploy role accepts. */
  public readonly deploySubjects: string[];

  constructor(scope: Construct, id: string, props: GithubOidcProps) {
    super(scope, id);
    const qualifier = props.cdkQualifier ?? DEFAULT_CDK_QUALIFIER;
    const maxSessionDuration = props.maxSessionDuration ?? Duration.hours(1);
    const repo = {
      owner: props.repositoryOwner,
      name: props.repositoryName,
      ownerId: props.repositoryOwnerId,
      repositoryId: props.repositoryId,
    };
    const branch = branchContext(props.branch ?? 'main');

    this.provider = props.existingProviderArn
      ? OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.existingProviderArn)
      : new OidcProviderNative(this, 'Provider', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: [STS_AUDIENCE] });

    this.readSubjects = githubSubjects(repo, [branch]);
    this.deploySubjects = githubSubjects(repo, [branch, ...(props.deployEnvironments ?? []).map(environmentContext)]);

    const readRole = new Role(this, 'ReadRole', {
      ...(props.readRoleName ? { roleName: props.readRoleName } : {}),
      description: `GitHub Actions of ${repo.owner}/${repo.name} (scan, gate): read-only`,
      assumedBy: this.principal(this.readSubjects),
      maxSessionDuration,
    });
    const modelStacksArn = props.stackNamePrefix
      ? Stack.of(this).formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${props.stackNamePrefix}*/*` })
      : undefined;
    const images = props.imageRepositoryArns ?? [];
    for (const statement of readStatements(this, props.lake, qualifier, modelStacksArn, images)) readRole.addToPrincipalPolicy(statement);
    this.readRole = readRole;

    const deployRole = new Role(this, 'DeployRole', {
      description: `GitHub Actions of ${repo.owner}/${repo.name} (deploy, release): CDK bootstrap roles and the delivery pipeline`,
      assumedBy: this.principal(this.deploySubjects),
      maxSessionDuration,
    });
    deployRole.addToPrincipalPolicy(assumeCdkBootstrapRoles(this, qualifier, CDK_DEPLOY_ROLES));
    this.deployRole = deployRole;

    acknowledgeGithubOidc(this, readRole, props.lake, modelStacksArn, images.length > 0);
  }

  private principal(subjects: string[]): WebIdentityPrincipal {
    return new WebIdentityPrincipal(this.provider.oidcProviderArn, {
      StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
      StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
      StringNotLike: { [`${GITHUB_OIDC_HOST}:sub`]: SUBJECT_GUARD },
    });
  }
}

function readStatements(
  scope: Construct, lake: IDataLake, qualifier: string, modelStacksArn: string | undefined, images: string[],
): PolicyStatement[] {
  const buckets = [lake.rawBucket, lake.validatedBucket];
  const statements = [
    new PolicyStatement({
      sid: 'ListDatasets',
      actions: ['s3:ListBucket'],
      resources: buckets.map((b) => b.bucketArn),
    }),
    new PolicyStatement({
      sid: 'ReadDatasets',
      actions: ['s3:GetObject'],
      resources: buckets.map((b) => b.arnForObjects('*')),
    }),
    new PolicyStatement({
      sid: 'DecryptDatasets',
      actions: ['kms:Decrypt'],
      resources: [lake.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(scope).region}.amazonaws.com` } },
    }),
    assumeCdkBootstrapRoles(scope, qualifier, CDK_LOOKUP_ROLES),
  ];
  if (modelStacksArn) {
    statements.push(new PolicyStatement({
      sid: 'DescribeModelStacks',
      actions: ['cloudformation:DescribeStacks'],
      resources: [modelStacksArn],
    }));
  }
  if (images.length > 0) {
    statements.push(new PolicyStatement({
      sid: 'RegistryLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
    }));
    statements.push(new PolicyStatement({
      sid: 'PullScannedImages',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: images,
    }));
  }
  return statements;
}
