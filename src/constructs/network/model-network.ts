import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataBoundary, IModelNetwork, InterfaceEndpointOptions } from './model-network-ref';
import { securityGroupText } from './vpc-access';
import { allowLogGroupEncryption, restrictGrantsToAwsResources } from '../key-policies';
import { acknowledgeWildcards } from '../serving/acknowledgements';

/** The tag every role of a model carries (`aidlc:model=<model name>`); endpoint policies admit only those roles. */
export const MODEL_TAG_KEY = 'aidlc:model';

/**
 * An existing VPC, by its ids: nothing is looked up, so synth works offline.
 */
export interface ExistingVpcAttributes {
  /** `vpc-...` */
  readonly vpcId: string;
  /** The VPC's IPv4 range. */
  readonly vpcCidr: string;
  /** The private subnets the workloads run in. */
  readonly subnetIds: string[];
  /** The zone of each subnet, in the same order. */
  readonly availabilityZones: string[];
  /**
   * The route table of each subnet, in the same order (or one shared by all): needed to add
   * the S3 gateway endpoint.
   * @default - none; endpoints cannot be created
   */
  readonly routeTableIds?: string[];
}

/**
 * Props of a {@link ModelNetwork}.
 */
export interface ModelNetworkProps {
  /** The model; endpoint policies admit only roles tagged `aidlc:model=<modelName>`. */
  readonly modelName: string;
  /** The region's AWS-managed S3 prefix list (`com.amazonaws.<region>.s3`). */
  readonly s3PrefixListId: string;
  /**
   * Use this VPC instead of creating one.
   * @default - a new VPC
   */
  readonly existingVpc?: ExistingVpcAttributes;
  /**
   * IPv4 range of the new VPC.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /**
   * Zones of the new VPC, one private isolated subnet each.
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * Create the S3 gateway endpoint and the interface endpoints.
   * @default - true for a new VPC, false for an existing one
   */
  readonly createEndpoints?: boolean;
  /**
   * Interface endpoints to create (services after `com.amazonaws.<region>.`).
   * @default - none
   */
  readonly interfaceEndpoints?: string[];
  /**
   * IPv4 ranges, besides the workloads, that may call private APIs through the `execute-api`
   * endpoint, when `interfaceEndpoints` lists it (see `addPrivateApiEndpoint`).
   * @default - none: the model's workloads only
   */
  readonly apiCallerCidrs?: string[];
  /**
   * Where an existing VPC's interface endpoints answer, when this network does not create them.
   * @default - the VPC's range
   */
  readonly endpointCidrs?: string[];
  /**
   * The S3 endpoint of an existing VPC, when this network does not create one.
   * @default - data reads are bound to the VPC instead (`aws:SourceVpc`)
   */
  readonly s3EndpointId?: string;
  /**
   * How long flow logs of a new VPC are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** Interface endpoint services whose IAM prefix is not the first part of the name. */
const IAM_PREFIXES: Record<string, string> = { 'monitoring': 'cloudwatch', 'ecr.dkr': 'ecr', 'ecr.api': 'ecr', 'sagemaker.api': 'sagemaker', 'sagemaker.runtime': 'sagemaker' };

/** What the product's workloads call on each endpoint, and nothing more passes it. */
const WORKLOAD_ACTIONS: Record<string, string[]> = {
  // The built-in drift monitor publishes its metrics.
  'monitoring': ['cloudwatch:PutMetricData'],
  'sagemaker.api': [
    // The retraining trigger starts and watches the training pipeline.
    'sagemaker:StartPipelineExecution', 'sagemaker:ListPipelineExecutions', 'sagemaker:DescribePipelineExecution',
    // The model signer reads the training job and records the dataset and commit as its lineage.
    'sagemaker:DescribeTrainingJob', 'sagemaker:ListTrialComponents', 'sagemaker:ListArtifacts', 'sagemaker:CreateArtifact',
    'sagemaker:AddAssociation', 'sagemaker:AddTags',
  ],
  // The model signer signs the artifact's digest.
  'kms': ['kms:Sign'],
  // The data gate runs its queries on large uploads (Athena reads the catalog and S3 itself).
  'athena': ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
  // The smoke test of a private API, on CodeBuild in the subnets: it reads the serving stack's
  // outputs and its own API key, writes its build log, and calls the API.
  'cloudformation': ['cloudformation:DescribeStacks'],
  'apigateway': ['apigateway:GET'],
  'logs': ['logs:CreateLogStream', 'logs:PutLogEvents'],
  'execute-api': ['execute-api:Invoke'],
};

/** The S3 calls of the workloads: read datasets and code, write outputs, captures and checkpoints. */
const S3_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket', 's3:GetBucketLocation'];

/**
 * The network of one model's workloads.
 *
 * Created: a VPC with private isolated subnets only (no internet gateway, no NAT gateway, no
 * route out), the default security group stripped of its rules, flow logs of all traffic into a
 * KMS-encrypted log group, an S3 gateway endpoint and the interface endpoints asked for, each
 * with private DNS and a policy that admits only this model's roles (`aidlc:model` tag) acting
 * on this account's resources. The interface endpoints share one security group that admits
 * HTTPS from the workloads' security groups only.
 *
 * Imported: an existing VPC and subnets by id (no lookups), with the endpoints created the same
 * way, or those of the landing zone reached by CIDR.
 */
export class ModelNetwork extends Construct implements IModelNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly vpcId: string;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  public readonly s3PrefixListId: string;
  public readonly dataBoundary: DataBoundary;
  /** The S3 gateway endpoint, when this network created it. */
  public readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** The flow logs of a created VPC. */
  public readonly flowLog?: ec2.FlowLog;
  /** The key of the flow logs of a created VPC. */
  public readonly flowLogKey?: kms.Key;
  /** Whether the network created its VPC. */
  public readonly createdVpc: boolean;

  private readonly modelName: string;
  private readonly endpointCidrs: string[];
  private readonly interfaceEndpoints = new Map<string, ec2.InterfaceVpcEndpoint>();

  constructor(scope: Construct, id: string, props: ModelNetworkProps) {
    super(scope, id);
    this.modelName = props.modelName;
    this.s3PrefixListId = props.s3PrefixListId;
    const existing = props.existingVpc;
    this.createdVpc = existing === undefined;
    if (existing) {
      if (existing.subnetIds.length !== existing.availabilityZones.length) {
        throw new Error(`ModelNetwork: ${existing.subnetIds.length} subnet(s) but ${existing.availabilityZones.length} zone(s); give the zone of each subnet`);
      }
      const zones = [...new Set(existing.availabilityZones)];
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: existing.vpcId, vpcCidrBlock: existing.vpcCidr, availabilityZones: zones });
      const tables = existing.routeTableIds ?? [];
      this.subnets = existing.subnetIds.map((subnetId, i) => ec2.Subnet.fromSubnetAttributes(this, `Subnet${i + 1}`, {
        subnetId,
        availabilityZone: existing.availabilityZones[i],
        ...(tables.length > 0 ? { routeTableId: tables[Math.min(i, tables.length - 1)] } : {}),
      }));
    } else {
      const vpc = new ec2.Vpc(this, 'Vpc', {
        ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
        maxAzs: props.availabilityZoneCount ?? 2,
        natGateways: 0,
        createInternetGateway: false,
        restrictDefaultSecurityGroup: true,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        subnetConfiguration: [{ name: 'workloads', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      this.vpc = vpc;
      this.subnets = vpc.isolatedSubnets;
      const flow = this.addFlowLogs(vpc, props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR);
      this.flowLog = flow.flowLog;
      this.flowLogKey = flow.key;
    }
    this.vpcId = this.vpc.vpcId;
    this.subnetIds = this.subnets.map((s) => s.subnetId);
    this.endpointCidrs = props.endpointCidrs ?? [existing?.vpcCidr ?? props.cidr ?? '10.0.0.0/16'];

    const createEndpoints = props.createEndpoints ?? this.createdVpc;
    if (createEndpoints) {
      if (existing && (existing.routeTableIds ?? []).length === 0) {
        throw new Error('ModelNetwork: creating endpoints in an existing VPC needs the subnets\' routeTableIds (the S3 gateway endpoint is added to them)');
      }
      this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', {
        vpc: this.vpc,
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [{ subnets: this.subnets }],
      });
      this.scopePolicy(this.s3Endpoint, S3_ACTIONS, ['*'], true);
      this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        allowAllOutbound: false,
        description: securityGroupText(`Interface endpoints of ${props.modelName}: HTTPS from this model's workloads only`),
      });
      for (const service of props.interfaceEndpoints ?? []) {
        if (service === 'execute-api') this.addPrivateApiEndpoint(props.apiCallerCidrs);
        else this.addInterfaceEndpoint(service);
      }
      this.dataBoundary = { conditionKey: 'aws:SourceVpce', values: [this.s3Endpoint.vpcEndpointId] };
    } else {
      this.dataBoundary = props.s3EndpointId
        ? { conditionKey: 'aws:SourceVpce', values: [props.s3EndpointId] }
        : { conditionKey: 'aws:SourceVpc', values: [this.vpcId] };
    }
  }

  public securityGroupFor(scope: Construct, id: string, description: string): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(scope, id, { vpc: this.vpc, allowAllOutbound: false, description: securityGroupText(description) });
    sg.addEgressRule(ec2.Peer.prefixList(this.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    if (this.endpointSecurityGroup) {
      sg.addEgressRule(this.endpointSecurityGroup, ec2.Port.tcp(443), 'HTTPS to the interface endpoints');
      // The endpoints admit the group through a rule that lives with the group (in the workload's
      // stack), so the network stack never refers to a workload stack.
      new ec2.CfnSecurityGroupIngress(sg, 'IntoEndpoints', {
        groupId: this.endpointSecurityGroup.securityGroupId,
        sourceSecurityGroupId: sg.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: securityGroupText(`HTTPS from ${description}`),
      });
    } else {
      for (const cidr of this.endpointCidrs) sg.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS to the interface endpoints of the landing zone');
    }
    return sg;
  }

  public addInterfaceEndpoint(service: string, options: InterfaceEndpointOptions = {}): ec2.IInterfaceVpcEndpoint | undefined {
    if (!this.endpointSecurityGroup) return undefined;
    const known = this.interfaceEndpoints.get(service);
    if (known) return known;
    const endpoint = new ec2.InterfaceVpcEndpoint(this, `Endpoint-${service}`, {
      vpc: this.vpc,
      service: new ec2.InterfaceVpcEndpointAwsService(service),
      subnets: { subnets: this.subnets, onePerAz: true },
      securityGroups: [this.endpointSecurityGroup, ...this.callerGroup(service, options.allowFrom ?? [])],
      privateDnsEnabled: true,
      open: false,
    });
    const prefix = IAM_PREFIXES[service] ?? service.split('.')[0];
    const actions = options.actions ?? WORKLOAD_ACTIONS[service] ?? [`${prefix}:*`];
    const resources = options.resources ?? ['*'];
    if (options.anyPrincipal) {
      endpoint.addToPolicy(new iam.PolicyStatement({ sid: 'AnyCallerTheseActionsOnly', principals: [new iam.AnyPrincipal()], actions, resources }));
    } else {
      this.scopePolicy(endpoint, actions, resources, false);
    }
    this.interfaceEndpoints.set(service, endpoint);
    return endpoint;
  }

  /**
   * The `execute-api` endpoint that private APIs of this account are called through, created
   * once: with private DNS, the account's API hostnames resolve to it inside the VPC. Its policy
   * lets any caller invoke `POST /invocations` of this account's APIs and nothing else: callers
   * with a token or an API key carry no AWS identity, so the APIs' resource policies, authorizers
   * and API keys decide who is served. Besides the workloads, it admits HTTPS from `callerCidrs`.
   * Undefined when the network uses endpoints it does not own.
   */
  public addPrivateApiEndpoint(callerCidrs: string[] = []): ec2.IInterfaceVpcEndpoint | undefined {
    const stack = Stack.of(this);
    return this.addInterfaceEndpoint('execute-api', {
      actions: WORKLOAD_ACTIONS['execute-api'],
      resources: [stack.formatArn({ service: 'execute-api', resource: '*', resourceName: '*/POST/invocations' })],
      anyPrincipal: true,
      allowFrom: callerCidrs,
    });
  }

  /** The `execute-api` endpoint private APIs are called through, once created. */
  public get privateApiEndpoint(): ec2.IInterfaceVpcEndpoint | undefined {
    return this.interfaceEndpoints.get('execute-api');
  }

  /** The interface endpoints created so far, by service. */
  public get interfaceEndpointServices(): string[] {
    return [...this.interfaceEndpoints.keys()];
  }

  /** A security group of the endpoint's own that admits HTTPS from the given ranges; none without ranges. */
  private callerGroup(service: string, ranges: string[]): ec2.ISecurityGroup[] {
    if (ranges.length === 0) return [];
    const group = new ec2.SecurityGroup(this, `Callers-${service}`, {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: securityGroupText(`Callers of the ${service} endpoint of ${this.modelName}: HTTPS from the listed networks only`),
    });
    for (const range of ranges) group.addIngressRule(ec2.Peer.ipv4(range), ec2.Port.tcp(443), securityGroupText(`HTTPS from ${range}`));
    return [group];
  }

  /** Only this model's roles, acting in this account (and, for S3, on this account's buckets). */
  private scopePolicy(endpoint: ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint, actions: string[], resources: string[],
    ownResources: boolean): void {
    const account = Stack.of(this).account;
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'ThisModelsRolesOnly',
      principals: [new iam.AnyPrincipal()],
      actions,
      resources,
      conditions: {
        StringEquals: {
          'aws:PrincipalAccount': account,
          [`aws:PrincipalTag/${MODEL_TAG_KEY}`]: this.modelName,
          ...(ownResources ? { 'aws:ResourceAccount': account } : {}),
        },
      },
    }));
  }

  private addFlowLogs(vpc: ec2.Vpc, retention: logs.RetentionDays): { flowLog: ec2.FlowLog; key: kms.Key } {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'FlowLogKey', {
      description: `Encrypts the VPC flow logs of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    allowLogGroupEncryption(key);
    restrictGrantsToAwsResources(key);
    const logGroup = new logs.LogGroup(this, 'FlowLogs', { encryptionKey: key, retention, removalPolicy: RemovalPolicy.RETAIN });
    const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'VPC flow log delivery into its own log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      })],
    });
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Delivers the VPC flow logs',
      managedPolicies: [policy],
    });
    const flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
      // The role's managed policy is all it holds: the grants CDK would add inline are dropped.
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    flowLog.node.addDependency(policy);
    acknowledgeWildcards(policy, [{
      match: /^Resource::<[A-Za-z0-9]*FlowLogs[A-Za-z0-9]*\.Arn>$/,
      reason: 'the log streams of the flow log group (its ARN ends in :*); the flow logs service names one stream per network interface',
    }]);
    return { flowLog, key };
  }
}
