import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IDataLake } from './data-lake-ref';
import { InvalidValuesError } from '../../core/problem';

/**
 * Props of a `GateWorkgroup`.
 */
export interface GateWorkgroupProps {
  /** The lake whose raw uploads the gate checks; its key encrypts query results. */
  readonly lake: IDataLake;
  /** The data contract document (`data/contract.json`): its columns become the gate table's. */
  readonly contract: { [key: string]: any };
  /** The Glue database the gate table goes into (created elsewhere, e.g. by `DataCatalog`). */
  readonly database: glue.CfnDatabase;
  /**
   * Key prefix of the uploads in the raw bucket, ending with `/`. Each folder below it is one
   * dataset of the gate table (one partition).
   * @default "raw/"
   */
  readonly rawPrefix?: string;
  /**
   * Name of the workgroup.
   * @default - "<dataset>-data-gate"
   */
  readonly workgroupName?: string;
  /**
   * Most data one query may scan, in GiB (the workgroup's BytesScannedCutoffPerQuery).
   * @default 1000
   */
  readonly scanLimitGb?: number;
  /**
   * Days query results are kept (they hold category values and example values of the data).
   * @default 7
   */
  readonly resultRetentionDays?: number;
  /**
   * What happens to the results bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Name of the gate table's partition key: the folder of an upload under the raw prefix. */
export const GATE_PARTITION_KEY = 'upload_folder';

/**
 * What the data gate needs to check uploads on Athena:
 *
 * - a Glue table over the raw uploads that reads every contract column as text (the gate parses
 *   and checks the types itself, in SQL, as the streaming engine does), partitioned by the upload
 *   folder under the raw prefix through partition projection (`injected`: a query names the
 *   folder, so it reads that folder only, and no partition is ever registered). The partition key
 *   is not a contract column and no check looks at it;
 * - a workgroup that enforces its configuration: Athena engine version 3, results in its own
 *   bucket encrypted with the lake's key (SSE-KMS), a per-query bytes-scanned limit and
 *   CloudWatch metrics;
 * - the results bucket: the lake's protections (no public access, TLS only, versions, owner
 *   enforced, access logs), results expire after a few days.
 *
 * `grantQuery` gives one role exactly what a gate run needs; nothing else may use the workgroup
 * through this construct.
 */
export class GateWorkgroup extends Construct {
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly workgroupName: string;
  public readonly table: glue.CfnTable;
  public readonly tableName: string;
  public readonly databaseName: string;
  public readonly resultsBucket: s3.Bucket;
  /** `s3://bucket/prefix/` of query results. */
  public readonly resultsLocation: string;
  private readonly lake: IDataLake;
  private readonly rawPrefix: string;
  private readonly resultsPrefix = 'gate/';

  constructor(scope: Construct, id: string, props: GateWorkgroupProps) {
    super(scope, id);
    this.lake = props.lake;
    this.rawPrefix = props.rawPrefix ?? 'raw/';
    if (!this.rawPrefix.endsWith('/') || this.rawPrefix.startsWith('/')) {
      throw new InvalidValuesError('GateWorkgroup', [{ path: 'rawPrefix', value: this.rawPrefix, message: 'must end with "/" and not start with one', fix: 'write the prefix as "raw/churn/"' }]);
    }
    const scanLimitGb = props.scanLimitGb ?? 1000;
    if (!(scanLimitGb >= 0.01)) {
      throw new InvalidValuesError('GateWorkgroup', [{ path: 'scanLimitGb', value: scanLimitGb, message: 'is under 0.01 (10 MB), Athena\'s smallest limit per query', fix: 'give at least 0.01 GB' }]);
    }
    const dataset = typeof props.contract.dataset === 'string' ? props.contract.dataset : 'dataset';
    this.databaseName = props.database.ref;
    this.tableName = `${dataset.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_gate`;
    this.workgroupName = props.workgroupName ?? `${dataset}-data-gate`;

    this.resultsBucket = this.createResultsBucket(props);
    this.resultsLocation = `s3://${this.resultsBucket.bucketName}/${this.resultsPrefix}`;
    this.workgroup = this.createWorkgroup(dataset, scanLimitGb);
    this.table = this.createTable(dataset, props.contract);
    Validations.of(this.resultsBucket).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-S3BucketReplicationEnabled`,
      reason: 'Query results are working copies that expire after days; the data they come from stays in the lake.',
    })));
  }

  /**
   * Lets `grantee` run the gate's queries (the statements of `queryStatements`, added to its
   * policy).
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const [first, ...rest] = this.queryStatements();
    const grant = iam.Grant.addToPrincipal({ grantee, actions: first.actions, resourceArns: first.resources });
    for (const statement of rest) grantee.grantPrincipal.addToPrincipalPolicy(statement);
    return grant;
  }

  /**
   * What a gate run needs, and nothing more: start, follow, read and stop queries in this
   * workgroup only; read the gate table's definition; read and list the raw uploads under the
   * prefix (Athena reads them with the caller's permissions); write and read query results under
   * the results prefix; use the lake's key for both.
   */
  public queryStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const glueArn = (resource: string) => stack.formatArn({ service: 'glue', resource });
    return [
      new iam.PolicyStatement({
        sid: 'GateQueries',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName })],
      }),
      new iam.PolicyStatement({
        sid: 'GateTableDefinition',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [glueArn('catalog'), glueArn(`database/${this.databaseName}`), glueArn(`table/${this.databaseName}/${this.tableName}`)],
      }),
      new iam.PolicyStatement({ sid: 'GateReadUploads', actions: ['s3:GetObject'], resources: [this.lake.rawBucket.arnForObjects(`${this.rawPrefix}*`)] }),
      new iam.PolicyStatement({
        sid: 'GateListUploads',
        actions: ['s3:ListBucket'],
        resources: [this.lake.rawBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.rawPrefix}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'GateQueryResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'GateBuckets',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [this.resultsBucket.bucketArn],
      }),
      new iam.PolicyStatement({ sid: 'GateRawBucketLocation', actions: ['s3:GetBucketLocation'], resources: [this.lake.rawBucket.bucketArn] }),
      new iam.PolicyStatement({ sid: 'GateKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.lake.key.keyArn] }),
    ];
  }

  /** The object ARNs with wildcards in `queryStatements` (for acknowledging them). */
  public get objectArns(): string[] {
    return [this.lake.rawBucket.arnForObjects(`${this.rawPrefix}*`), this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)];
  }

  /** Environment variables that point `aidlc gate --engine athena` (and the gate Lambda) here. */
  public get environment(): Record<string, string> {
    return {
      AIDLC_ATHENA_WORKGROUP: this.workgroupName,
      AIDLC_GLUE_DATABASE: this.databaseName,
      AIDLC_GATE_TABLE: this.tableName,
      AIDLC_GATE_PARTITION_KEY: GATE_PARTITION_KEY,
    };
  }

  /** Query results, encrypted with the lake's key, logged, expired after `resultRetentionDays`. */
  private createResultsBucket(props: GateWorkgroupProps): s3.Bucket {
    return new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.lake.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.lake.accessLogsBucket,
      serverAccessLogsPrefix: 'gate-results/',
      lifecycleRules: [{
        id: 'ExpireResults',
        expiration: Duration.days(props.resultRetentionDays ?? 7),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
  }

  /** The workgroup, its settings enforced: engine version 3, the scan limit per query, encrypted results in the results bucket. */
  private createWorkgroup(dataset: string, scanLimitGb: number): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description: `aidlc data gate of ${dataset}: contract and drift checks on Athena`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: Math.round(scanLimitGb * 1024 ** 3),
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.resultsLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.lake.key.keyArn },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  /**
   * The Glue table over the raw uploads: every contract column as text, one injected partition
   * per upload folder under the raw prefix.
   */
  private createTable(dataset: string, contract: { [key: string]: any }): glue.CfnTable {
    const format = contract.format ?? {};
    const rawLocation = this.lake.rawBucket.s3UrlForObject(this.rawPrefix);
    return new glue.CfnTable(this, 'Table', {
      catalogId: Stack.of(this).account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: `Raw ${dataset} uploads as text, one partition per upload folder under ${this.rawPrefix} (the data gate's Athena table)`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'csv',
          'skip.header.line.count': format.header === false ? '0' : '1',
          'has_encrypted_data': 'true',
          'projection.enabled': 'true',
          [`projection.${GATE_PARTITION_KEY}.type`]: 'injected',
          'storage.location.template': `${rawLocation}\${${GATE_PARTITION_KEY}}/`,
        },
        partitionKeys: [{ name: GATE_PARTITION_KEY, type: 'string', comment: `Folder of the upload under ${this.rawPrefix} (not a contract column)` }],
        storageDescriptor: {
          location: rawLocation,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
            parameters: { separatorChar: typeof format.delimiter === 'string' ? format.delimiter : ',', quoteChar: '"', escapeChar: '\\' },
          },
          columns: textColumns(contract),
        },
      },
    });
  }
}

/** The contract's columns, every one as text (lower case, as Glue keeps names). */
function textColumns(contract: { [key: string]: any }): glue.CfnTable.ColumnProperty[] {
  if (!Array.isArray(contract.columns) || contract.columns.length === 0) {
    throw new InvalidValuesError('GateWorkgroup', [{ path: 'contract.columns', value: contract.columns, message: 'has no columns', fix: 'give the contract of data/contract.json, which lists every column' }]);
  }
  return contract.columns.map((c: any, i: number) => {
    if (typeof c?.name !== 'string' || typeof c?.type !== 'string') {
      throw new InvalidValuesError('GateWorkgroup', [{ path: `contract.columns[${i}]`, value: c, message: 'needs a name and a type', fix: 'give the column a name and a type' }]);
    }
    if (c.name.toLowerCase() === GATE_PARTITION_KEY) {
      throw new InvalidValuesError('GateWorkgroup', [{
        path: `contract.columns[${i}].name`, value: c.name, message: 'has the name of the gate table\'s partition key', fix: `rename the column to anything but ${GATE_PARTITION_KEY}`,
      }]);
    }
    return { name: c.name.toLowerCase(), type: 'string', comment: `${c.type} in the data contract, read as text and checked by the gate` };
  });
}
