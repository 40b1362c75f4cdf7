import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InvalidValuesError } from '../../core/problem';

/**
 * Props of a `DataCatalog`.
 */
export interface DataCatalogProps {
  /** Name of the Glue database (letters, digits and underscores). */
  readonly databaseName: string;
  /**
   * The data contract document (`data/contract.json`): its columns become the table's columns.
   */
  readonly contract: { [key: string]: any };
  /** The bucket that holds the datasets the table reads. */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of the datasets in the bucket, e.g. `validated/churn/`.
   * @default "" (the whole bucket)
   */
  readonly prefix?: string;
  /**
   * Name of the table.
   * @default - the contract's dataset name, with dashes turned into underscores
   */
  readonly tableName?: string;
}

/** Athena/Glue column type of each contract type. */
const GLUE_TYPES: Record<string, string> = {
  int: 'bigint',
  float: 'double',
  string: 'string',
  bool: 'boolean',
  // The CSV SerDe reads timestamps only as epoch numbers; ISO 8601 text stays text
  // (query it with from_iso8601_timestamp).
  timestamp: 'string',
};

/**
 * The Glue Data Catalog entry of a model's datasets: a database and one external table whose
 * columns come from the data contract, over CSV files with a header (OpenCSVSerDe, so quoted
 * fields read correctly). Objects whose names start with `_` (the gate's reports) are not read.
 */
export class DataCatalog extends Construct {
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: DataCatalogProps) {
    super(scope, id);
    if (!/^[a-z0-9_]{1,255}$/.test(props.databaseName)) {
      throw new InvalidValuesError('DataCatalog', [{
        path: 'databaseName', value: props.databaseName, message: 'is not a Glue database name this catalog makes', fix: 'use 1 to 255 lower-case letters, digits and underscores, e.g. aidlc_churn',
      }]);
    }
    const columns = contractColumns(props.contract);
    const dataset = typeof props.contract.dataset === 'string' ? props.contract.dataset : 'dataset';
    this.tableName = props.tableName ?? dataset.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    this.databaseName = props.databaseName;
    const account = Stack.of(this).account;
    const format = props.contract.format ?? {};
    const delimiter = typeof format.delimiter === 'string' ? format.delimiter : ',';

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName, description: `Datasets of ${dataset} (aidlc-pipeline)` },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: this.tableName,
        description: `Validated ${dataset} datasets; columns from the data contract`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'csv',
          'skip.header.line.count': format.header === false ? '0' : '1',
          'has_encrypted_data': 'true',
        },
        storageDescriptor: {
          location: props.bucket.s3UrlForObject(props.prefix ?? ''),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
            parameters: { separatorChar: delimiter, quoteChar: '"', escapeChar: '\\' },
          },
          columns,
        },
      },
    });
    this.table.node.addDependency(this.database);
  }

  /** Lets `grantee` read the table's definition (for Athena queries; data access is separate). */
  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const arn = (resource: string) => stack.formatArn({ service: 'glue', resource });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
      resourceArns: [arn('catalog'), arn(`database/${this.databaseName}`), arn(`table/${this.databaseName}/${this.tableName}`)],
    });
  }
}

function contractColumns(contract: { [key: string]: any }): glue.CfnTable.ColumnProperty[] {
  if (!Array.isArray(contract.columns) || contract.columns.length === 0) {
    throw new InvalidValuesError('DataCatalog', [{ path: 'contract.columns', value: contract.columns, message: 'has no columns', fix: 'give the contract of data/contract.json, which lists every column' }]);
  }
  return contract.columns.map((c: any, i: number) => {
    const type = GLUE_TYPES[c?.type];
    if (typeof c?.name !== 'string' || !type) {
      throw new InvalidValuesError('DataCatalog', [{
        path: `contract.columns[${i}]`, value: c, message: 'needs a name and a type', fix: `give the column a name and a type of ${Object.keys(GLUE_TYPES).join(', ')}`,
      }]);
    }
    const comment = typeof c.description === 'string' ? c.description : c.type === 'timestamp' ? 'ISO 8601 timestamp' : undefined;
    return { name: c.name.toLowerCase(), type, ...(comment ? { comment: comment.slice(0, 255) } : {}) };
  });
}
