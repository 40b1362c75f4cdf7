import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GateEngine } from '../../core/enums';
import { assetPath } from '../assets';
import { IDataLake } from './data-lake-ref';
import { GateWorkgroup } from './gate-workgroup';
import { IModelNetwork } from '../network/model-network-ref';
import { NETWORK_INTERFACE_WILDCARD_REASON, VPC_DESCRIBE_REASON, vpcAccessStatements, acknowledgeImportedSubnets, functionPlacement } from '../network/vpc-access';

/**
 * Props of a `DataGate`.
 */
export interface DataGateProps {
  /** The lake whose raw uploads are gated (its raw bucket must send events to EventBridge, as `DataLake` does). */
  readonly lake: IDataLake;
  /** The data contract document (`data/contract.json`). */
  readonly contract: { [key: string]: any };
  /**
   * Key prefix of the uploads to gate in the raw bucket, ending with `/`. Copies go to the same
   * path under `validated/` or `quarantine/` (a leading `raw/` is dropped).
   * @default "raw/"
   */
  readonly rawPrefix?: string;
  /**
   * A baseline profile (`aidlc profile` output) to score drift against.
   * @default - no drift check
   */
  readonly baselineProfile?: { [key: string]: any };
  /**
   * Topic the dead-letter alarm notifies.
   * @default - a new topic encrypted with the lake's key
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Memory of the function in MB (the duplicate and key hash sets take about 25 bytes per row).
   * @default 2048
   */
  readonly memorySize?: number;
  /**
   * Longest a check may run.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * Concurrent executions reserved for the gate.
   * @default - the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The network the function runs in: its private subnets, with a security group that sends
   * HTTPS only to S3 and the interface endpoints.
   * @default - outside any VPC (the compliance packs then report it)
   */
  readonly network?: IModelNetwork;
  /**
   * The engine that checks uploads. ATHENA and AUTO need `athena`.
   * @default GateEngine.STREAMING
   */
  readonly engine?: GateEngine;
  /**
   * The Athena workgroup and gate table, for the ATHENA and AUTO engines: the function's role
   * gets exactly the access a gate query needs.
   * @default - none (the streaming engine only)
   */
  readonly athena?: GateWorkgroup;
  /**
   * With `GateEngine.AUTO`: uploads of this many GiB or more are checked on Athena.
   * @default 5
   */
  readonly athenaThresholdGb?: number;
}

/**
 * The data gate on the lake's raw uploads: every object created under the raw prefix (an S3 event
 * through EventBridge) invokes a Node.js 22 Lambda running the bundled data engine. It streams the
 * object, runs the contract checks (and drift with a baseline) and copies the object to the
 * validated bucket on pass or the quarantine bucket on fail, with the JSON and Markdown report
 * beside it:
 *
 *   raw/churn/2026/train.csv -> validated/churn/data/2026/train.csv
 *                               validated/churn/reports/2026/train.csv.report.json (and .report.md)
 *
 * The raw object is never deleted. Failed invocations (after Lambda's two retries) and undeliverable
 * events go to an SQS dead-letter queue encrypted with the lake's key; an alarm fires on its
 * first message. The function's role may only read the raw prefix, write the validated and
 * quarantine prefixes, use the lake's key, write its own logs and send to its dead-letter queue.
 */
export class DataGate extends Construct {
  /** Prefix of the validated datasets in the validated bucket for uploads under `rawPrefix`. */
  public static validatedDataPrefixFor(rawPrefix: string): string {
    return `validated/${rawPrefix.startsWith('raw/') ? rawPrefix.slice('raw/'.length) : rawPrefix}data/`;
  }

  public readonly function: lambda.Function;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly alarm: cloudwatch.Alarm;
  public readonly alarmTopic: sns.ITopic;
  public readonly rule: events.Rule;
  public readonly logGroup: logs.LogGroup;
  /** The only permissions of the function's role. */
  public readonly policy: iam.ManagedPolicy;
  /** The function's security group, when it runs in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;
  /** Prefix of validated datasets in the validated bucket, e.g. `validated/churn/data/`. */
  public readonly validatedDataPrefix: string;
  /** Prefix of quarantined datasets in the quarantine bucket, e.g. `quarantine/churn/data/`. */
  public readonly quarantineDataPrefix: string;

  constructor(scope: Construct, id: string, props: DataGateProps) {
    super(scope, id);
    const rawPrefix = props.rawPrefix ?? 'raw/';
    if (!rawPrefix.endsWith('/') || rawPrefix.startsWith('/')) {
      throw new Error(`DataGate: rawPrefix must end with "/" and not start with one (got "${rawPrefix}")`);
    }
    const engine = props.engine ?? GateEngine.STREAMING;
    if (engine !== GateEngine.STREAMING && !props.athena) {
      throw new Error(`DataGate: the ${engine} engine needs the athena prop (a GateWorkgroup over the same raw prefix)`);
    }
    // The workgroup serves only an engine that queries; the streaming engine leaves it unused.
    const athena = engine !== GateEngine.STREAMING ? props.athena : undefined;
    const prefixes = gatePrefixes(rawPrefix);
    this.validatedDataPrefix = `${prefixes.validated}data/`;
    this.quarantineDataPrefix = `${prefixes.quarantine}data/`;
    const key = props.lake.key;

    this.deadLetterQueue = this.createDeadLetterQueue(key);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    if (props.network) this.securityGroup = this.createSecurityGroup(props.network, rawPrefix, athena);
    const objects = gateObjectArns(props.lake, prefixes);
    this.policy = this.createPolicy(key, objects, props.network, athena);
    this.function = this.createFunction(props, prefixes, engine, athena);
    this.rule = this.routeUploads(props.lake, rawPrefix);
    this.alarmTopic = props.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', {
      displayName: 'aidlc data gate alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.alarm = this.createDeadLetterAlarm(key);
    const objectArns = [objects.raw, objects.validated, objects.quarantine, ...(athena?.objectArns ?? [])];
    this.acknowledgeFindings(props.reservedConcurrentExecutions !== undefined, objectArns, !!props.network);
  }

  /** Failed invocations and undeliverable events, encrypted with the lake's key. */
  private createDeadLetterQueue(key: kms.IKey): sqs.Queue {
    return new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /** The function's security group in the network (and Athena's endpoint, for an engine that queries). */
  private createSecurityGroup(network: IModelNetwork, rawPrefix: string, athena: GateWorkgroup | undefined): ec2.SecurityGroup {
    const securityGroup = network.securityGroupFor(this, 'SecurityGroup', `aidlc data gate for ${rawPrefix} uploads`);
    // Large uploads are checked by queries the function starts and reads through Athena's endpoint.
    if (athena) network.addInterfaceEndpoint('athena');
    return securityGroup;
  }

  /** The whole of the function's permissions: its prefixes, the lake's key, its logs and dead letters. */
  private createPolicy(
    key: kms.IKey, objects: GateObjectArns, network: IModelNetwork | undefined, athena: GateWorkgroup | undefined,
  ): iam.ManagedPolicy {
    return new iam.ManagedPolicy(this, 'Policy', {
      description: 'aidlc data gate: read raw, write validated and quarantine, one KMS key',
      statements: [
        new iam.PolicyStatement({ sid: 'ReadRaw', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects.raw] }),
        new iam.PolicyStatement({ sid: 'WriteValidatedAndQuarantine', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [objects.validated, objects.quarantine] }),
        new iam.PolicyStatement({ sid: 'UseLakeKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
        new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
        new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
        ...(network && this.securityGroup ? vpcAccessStatements(this, network, [this.securityGroup]) : []),
        ...(athena ? athena.queryStatements() : []),
      ],
    });
  }

  /** The function running the bundled engine with the contract and baseline, under a role of the policy alone. */
  private createFunction(props: DataGateProps, prefixes: GatePrefixes, engine: GateEngine, athena: GateWorkgroup | undefined): lambda.Function {
    const { lake, network } = props;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'aidlc data gate function',
      managedPolicies: [this.policy],
    });
    const fn = new lambda.Function(this, 'Function', {
      description: `aidlc data gate for ${prefixes.raw} uploads`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(stageBundle(props.contract, props.baselineProfile)),
      // The managed policy above is the whole of the role: CDK's own grants (the AWS managed
      // VPC access policy among them) are dropped.
      role: role.withoutPolicyUpdates(),
      ...(network && this.securityGroup ? functionPlacement(network, this.securityGroup) : {}),
      memorySize: props.memorySize ?? 2048,
      timeout: props.timeout ?? Duration.minutes(15),
      logGroup: this.logGroup,
      retryAttempts: 2,
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      environment: {
        RAW_PREFIX: prefixes.raw,
        VALIDATED_BUCKET: lake.validatedBucket.bucketName,
        VALIDATED_PREFIX: prefixes.validated,
        QUARANTINE_BUCKET: lake.quarantineBucket.bucketName,
        QUARANTINE_PREFIX: prefixes.quarantine,
        ...(athena ? {
          AIDLC_GATE_ENGINE: engine.toLowerCase(),
          AIDLC_GATE_ATHENA_THRESHOLD_GB: String(props.athenaThresholdGb ?? 5),
          ...athena.environment,
        } : {}),
      },
    });
    // Dead letters through the function's own configuration: the role's managed policy already
    // allows sqs:SendMessage, and Lambda checks that permission when it creates the function.
    (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: this.deadLetterQueue.queueArn };
    if (network) acknowledgeImportedSubnets(fn, network);
    return fn;
  }

  /** The EventBridge rule that sends every object created under the raw prefix to the function. */
  private routeUploads(lake: IDataLake, rawPrefix: string): events.Rule {
    const rule = new events.Rule(this, 'RawObjectCreated', {
      description: `Uploads under ${rawPrefix} to the data gate`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [lake.rawBucket.bucketName] },
          object: { key: [{ prefix: rawPrefix }] },
        },
      },
    });
    rule.addTarget(new targets.LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    }));
    allowEventBridgeToEncryptedQueue(lake.key);
    return rule;
  }

  /** An alarm on the first dead letter, to the alarm topic (and back when the queue is empty). */
  private createDeadLetterAlarm(key: kms.IKey): cloudwatch.Alarm {
    allowCloudWatchToEncryptedTopic(key);
    const alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'The data gate failed on an upload (or missed its event): see the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    alarm.addOkAction(new cwActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** The checks this construct's design answers differently, each with the reason. */
  private acknowledgeFindings(reserved: boolean, objectArns: string[], inNetwork: boolean): void {
    const stack = Stack.of(this);
    Validations.of(this.policy).acknowledge(...objectArns.map((arn) => ({
      id: `AwsSolutions-IAM5[Resource::${flatReference(stack.resolve(arn))}]`,
      reason: 'Object access is limited to the gate\'s own prefix (and, for Athena, its results prefix); the names of uploaded datasets and query results are not known when deploying.',
    })));
    if (inNetwork) {
      Validations.of(this.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flatReference(stack.resolve(stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })))}]`,
        reason: NETWORK_INTERFACE_WILDCARD_REASON,
      }, { id: 'AwsSolutions-IAM5[Resource::*]', reason: VPC_DESCRIBE_REASON });
    }
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: 'The bundled engine targets Node.js 22, the runtime this package tests it on; move both together.' },
      ...(reserved ? [] : ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-LambdaConcurrency`,
        reason: 'Uploads are rare and each runs once; reserving concurrency would take capacity from the account pool (set reservedConcurrentExecutions to reserve it).',
      }))),
    );
    Validations.of(this.deadLetterQueue).acknowledge(...['AwsSolutions-SQS3', 'cdk-validator-cfnguard::sqs_dlq_check'].map((id) => ({
      id,
      reason: 'This queue is the dead-letter queue of the data gate; a queue behind it would only hold what nobody reads.',
    })));
  }
}

/** Where a gate reads and writes, as key prefixes ending with `/`. */
interface GatePrefixes {
  /** Uploads to check, in the raw bucket. */
  readonly raw: string;
  /** Passed copies and their reports, in the validated bucket. */
  readonly validated: string;
  /** Failed copies and their reports, in the quarantine bucket. */
  readonly quarantine: string;
}

/** The validated and quarantine prefixes mirror the raw one, without its leading `raw/`. */
function gatePrefixes(rawPrefix: string): GatePrefixes {
  const tail = rawPrefix.startsWith('raw/') ? rawPrefix.slice('raw/'.length) : rawPrefix;
  return { raw: rawPrefix, validated: `validated/${tail}`, quarantine: `quarantine/${tail}` };
}

/** ARNs of the objects under each of a gate's prefixes. */
interface GateObjectArns {
  readonly raw: string;
  readonly validated: string;
  readonly quarantine: string;
}

function gateObjectArns(lake: IDataLake, prefixes: GatePrefixes): GateObjectArns {
  return {
    raw: lake.rawBucket.arnForObjects(`${prefixes.raw}*`),
    validated: lake.validatedBucket.arnForObjects(`${prefixes.validated}*`),
    quarantine: lake.quarantineBucket.arnForObjects(`${prefixes.quarantine}*`),
  };
}

/**
 * A resolved CloudFormation value as cdk-nag names it in findings: `<Logical.Attr>` for
 * GetAtt, `<Logical>` for Ref, joins concatenated.
 */
function flatReference(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (o['Fn::Join']) return (o['Fn::Join'][1] as unknown[]).map(flatReference).join(o['Fn::Join'][0]);
    if (o['Fn::GetAtt']) return `<${o['Fn::GetAtt'][0]}.${o['Fn::GetAtt'][1]}>`;
    if (o['Fn::ImportValue']) return flatReference(o['Fn::ImportValue']);
    if (o.Ref) return `<${o.Ref}>`;
  }
  return JSON.stringify(node);
}

/**
 * A folder with the bundled handler, the contract and the optional baseline: the function's code.
 * Named by its content, so every synth of the same inputs reuses it and the asset hash is stable.
 */
function stageBundle(contract: { [key: string]: any }, baseline?: { [key: string]: any }): string {
  const handler = fs.readFileSync(path.join(assetPath('lambda', 'data-gate'), 'index.js'));
  const contractJson = JSON.stringify(contract, null, 2) + '\n';
  const baselineJson = baseline ? JSON.stringify(baseline) + '\n' : undefined;
  const hash = createHash('sha256').update(handler).update(contractJson).update(baselineJson ?? '').digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `aidlc-data-gate-${hash}`);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    const tmp = fs.mkdtempSync(`${dir}-`);
    fs.writeFileSync(path.join(tmp, 'contract.json'), contractJson);
    if (baselineJson) fs.writeFileSync(path.join(tmp, 'baseline.json'), baselineJson);
    fs.writeFileSync(path.join(tmp, 'index.js'), handler);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // Another synth staged the same content first.
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return dir;
}

/** EventBridge may put undeliverable events into queues encrypted with the key. */
function allowEventBridgeToEncryptedQueue(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EventBridgeDeadLetters',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }), true);
}

/** CloudWatch alarms may publish to topics encrypted with the key. */
function allowCloudWatchToEncryptedTopic(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsToEncryptedTopic',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }), true);
}
