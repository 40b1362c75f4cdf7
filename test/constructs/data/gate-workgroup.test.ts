import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { GateEngine } from '../../../src/config/enums';
import { DataCatalog, DataGate, DataLake, GateWorkgroup } from '../../../src/constructs';
import { testStack } from '../../support/cdk-app';
import { nagFindings } from '../../support/compliance';
import { CONTRACT } from '../../support/contracts';
import { testNetwork } from '../../support/networks';

describe('GateWorkgroup', () => {
  const stack = testStack();
  const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
  const catalog = new DataCatalog(stack, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: lake.validatedBucket });
  const wg = new GateWorkgroup(stack, 'GateWorkgroup', { lake, contract: CONTRACT, database: catalog.database, rawPrefix: 'raw/churn/', scanLimitGb: 250 });
  const network = testNetwork(stack);
  const gate = new DataGate(stack, 'Gate', { lake, contract: CONTRACT, rawPrefix: 'raw/churn/', engine: GateEngine.AUTO, athena: wg, athenaThresholdGb: 2, network });
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.resolve((c.node.defaultChild as { logicalId: string }).logicalId);
  const keyArn = { 'Fn::GetAtt': [id(lake.key as never), 'Arn'] };

  test('a workgroup that enforces engine 3, KMS-encrypted results in its own bucket and the bytes-scanned limit', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'churn-model-data-gate',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 250 * 1024 ** 3,
        RequesterPaysEnabled: false,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: id(wg.resultsBucket) }, '/gate/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn },
          ExpectedBucketOwner: '111111111111',
        },
      },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireResults', ExpirationInDays: 7 })] },
      LoggingConfiguration: { DestinationBucketName: { Ref: id(lake.accessLogsBucket as never) }, LogFilePrefix: 'gate-results/' },
    });
  });

  test('a text-only table over the raw uploads, one projected partition per upload folder', () => {
    const table = (Object.values(t.findResources('AWS::Glue::Table')).find((r: any) => r.Properties.TableInput.Name === 'churn_model_gate') as any).Properties;
    expect(table.DatabaseName).toEqual({ Ref: stack.resolve(catalog.database.logicalId) });
    expect(table.TableInput.Parameters).toEqual({
      'classification': 'csv',
      'skip.header.line.count': '1',
      'has_encrypted_data': 'true',
      'projection.enabled': 'true',
      'projection.upload_folder.type': 'injected',
      'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: id(lake.rawBucket as never) }, '/raw/churn/${upload_folder}/']] },
    });
    expect(table.TableInput.PartitionKeys).toEqual([{ Name: 'upload_folder', Type: 'string', Comment: 'Folder of the upload under raw/churn/ (not a contract column)' }]);
    expect(table.TableInput.StorageDescriptor.Columns.map((c: any) => [c.Name, c.Type])).toEqual(CONTRACT.columns.map((c) => [c.name.toLowerCase(), 'string']));
  });

  test('the gate function alone gets the query access, in its managed policy, and the settings to use it', () => {
    const statements = (Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description.startsWith('aidlc data gate')) as any).Properties.PolicyDocument.Statement;
    const sids = statements.map((s: any) => s.Sid);
    expect(sids).toEqual(['ReadRaw', 'WriteValidatedAndQuarantine', 'UseLakeKey', 'WriteOwnLogs', 'DeadLetters',
      'DescribeVpc', 'CreateInterfacesInPrivateSubnets', 'ManageOwnInterfaces', // in the network
      'GateQueries', 'GateTableDefinition', 'GateReadUploads', 'GateListUploads', 'GateQueryResults', 'GateBuckets', 'GateRawBucketLocation', 'GateKey']);
    const queries = statements.find((s: any) => s.Sid === 'GateQueries');
    expect(queries.Action).toEqual(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup']);
    expect(JSON.stringify(queries.Resource)).toContain(':workgroup/churn-model-data-gate');
    expect(statements.find((s: any) => s.Sid === 'GateListUploads').Condition).toEqual({ StringLike: { 's3:prefix': ['raw/churn/*'] } });
    // EC2's Describe* calls alone take no resource-level permission.
    expect(JSON.stringify(statements.filter((st: any) => st.Sid !== 'DescribeVpc'))).not.toMatch(/"Resource":"\*"|athena:\*|glue:\*|s3:\*/);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AIDLC_GATE_ENGINE: 'auto',
          AIDLC_GATE_ATHENA_THRESHOLD_GB: '2',
          AIDLC_ATHENA_WORKGROUP: 'churn-model-data-gate',
          AIDLC_GLUE_DATABASE: { Ref: stack.resolve(catalog.database.logicalId) },
          AIDLC_GATE_TABLE: 'churn_model_gate',
          AIDLC_GATE_PARTITION_KEY: 'upload_folder',
        }),
      },
    });
    expect(gate.function).toBeDefined();
  });

  test('grantQuery gives another role the same statements', () => {
    const s = testStack('Grant');
    const l = new DataLake(s, 'Lake', { dataEventsTrail: false });
    const c = new DataCatalog(s, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: l.validatedBucket });
    const w = new GateWorkgroup(s, 'W', { lake: l, contract: CONTRACT, database: c.database });
    w.grantQuery(new Role(s, 'Builder', { assumedBy: new ServicePrincipal('codebuild.amazonaws.com') }));
    const statements = (Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(8);
  });

  test('in a network, the gate reaches Athena through an interface endpoint of its own', () => {
    expect(network.interfaceEndpointServices).toContain('athena');
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: Match.stringLikeRegexp('^com\\.amazonaws\\.[a-z0-9-]+\\.athena$'),
      PrivateDnsEnabled: true,
      // The endpoint lets through exactly the gate's query calls.
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        })]),
      }),
    });
  });

  test('passes the four compliance packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('rejects a limit under Athena\'s 10 MB, a column named like the partition key, and Athena without a workgroup', () => {
    const s = testStack('Bad');
    const l = new DataLake(s, 'Lake', { dataEventsTrail: false });
    const c = new DataCatalog(s, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: l.validatedBucket });
    expect(() => new GateWorkgroup(s, 'A', { lake: l, contract: CONTRACT, database: c.database, scanLimitGb: 0.001 })).toThrow(/scanLimitGb = 0.001: is under 0.01 \(10 MB\)/);
    const clash = { ...CONTRACT, columns: [...CONTRACT.columns, { name: 'Upload_Folder', type: 'string' }] };
    expect(() => new GateWorkgroup(s, 'B', { lake: l, contract: clash, database: c.database })).toThrow(/contract.columns\[6\].name = "Upload_Folder": has the name of the gate table's partition key. Fix: rename the column/);
    expect(() => new DataGate(s, 'G', { lake: l, contract: CONTRACT, engine: GateEngine.ATHENA })).toThrow(/ATHENA engine needs the athena prop/);
  });
});
