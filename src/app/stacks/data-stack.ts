import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { modelNetworkProps } from './network-stack';
import { contractFile } from '../../config/contract-file';
import { GateEngine, NetworkMode } from '../../config/enums';
import { DataCatalog } from '../../constructs/data/data-catalog';
import { DataGate } from '../../constructs/data/data-gate';
import { DataLake } from '../../constructs/data/data-lake';
import { GateWorkgroup } from '../../constructs/data/gate-workgroup';
import { ModelNetwork } from '../../constructs/network/model-network';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { DEFAULT_CAPTURE_PREFIX } from '../../constructs/serving/data-capture';
import { ResourceNames } from '../../core/names/resource-names';

/**
 * Props of the data stack.
 */
export interface DataStackProps extends AidlcStackProps {
  /**
   * A baseline profile (`aidlc profile` output) the gate on raw uploads scores drift against.
   * @default - no drift check on uploads
   */
  readonly baselineProfile?: { [key: string]: any };
  /**
   * The model's network (from the network stack).
   * @default - no network: the workloads run outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * Data foundation and the data gate: the lake (key, buckets, data-events trail), the gate on raw
 * uploads and the Glue catalog of validated datasets.
 */
export class DataStack extends AidlcStack {
  /** The lake the other stacks read from and write to. */
  public readonly lake: DataLake;
  public readonly gate: DataGate;
  public readonly catalog: DataCatalog;
  /**
   * The network the workloads run in: the one given, or an imported VPC that uses the landing
   * zone's endpoints (which needs no stack of its own, so it is declared here).
   */
  public readonly network?: IModelNetwork;
  /** The Athena workgroup and gate table, when the gate engine is ATHENA or AUTO. */
  public readonly gateWorkgroup?: GateWorkgroup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, 'data', props);
    const names = new ResourceNames(this.config);
    const contract = contractFile(this.config);
    const n = this.config.network;
    this.network = props.network
      ?? (n.mode === NetworkMode.IMPORT_VPC && !n.createEndpoints ? new ModelNetwork(this, 'Network', modelNetworkProps(this.config)) : undefined);
    const network = this.network;
    this.lake = new DataLake(this, 'Lake', {
      keyAlias: names.keyAlias,
      rawToGlacierDays: this.config.data.rawToGlacierDays,
      validatedRetentionDays: this.config.data.validatedRetentionDays,
      dataCaptureRetentionDays: this.config.monitoring.captureRetentionDays,
      dataCapturePrefix: `${DEFAULT_CAPTURE_PREFIX}/`,
      ...(network ? {
        dataBoundary: network.dataBoundary,
        // Named: they read datasets from outside the network by design (GitHub's runners, CodeBuild).
        outsideReaderRoleArns: [names.githubReadRole, names.gateBuildRole].map((role) => this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: role })),
      } : {}),
    });
    const rawPrefix = this.config.data.s3Prefix;
    // The catalog also shows each column's description from the config.
    const descriptions = new Map(this.config.data.contract.columns.map((c) => [c.name, c.description]));
    const documented = {
      ...contract,
      columns: (contract.columns as Array<{ name: string }>).map((c) => {
        const description = descriptions.get(c.name);
        return description ? { ...c, description } : c;
      }),
    };
    this.catalog = new DataCatalog(this, 'Catalog', {
      databaseName: names.glueDatabase,
      contract: documented,
      bucket: this.lake.validatedBucket,
      prefix: DataGate.validatedDataPrefixFor(rawPrefix),
    });
    const engine = this.config.data.gateEngine;
    if (engine !== GateEngine.STREAMING) {
      this.gateWorkgroup = new GateWorkgroup(this, 'GateWorkgroup', {
        lake: this.lake,
        contract,
        database: this.catalog.database,
        rawPrefix,
        workgroupName: names.gateWorkgroup,
        scanLimitGb: this.config.data.gateScanLimitGb,
      });
    }
    this.gate = new DataGate(this, 'Gate', {
      lake: this.lake,
      contract,
      rawPrefix,
      ...(network ? { network } : {}),
      ...(props.baselineProfile ? { baselineProfile: props.baselineProfile } : {}),
      engine,
      ...(this.gateWorkgroup ? { athena: this.gateWorkgroup, athenaThresholdGb: this.config.data.gateAthenaThresholdGb } : {}),
    });
  }
}
