import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DataCatalog, DataLake } from '../../../src/constructs';
import { testStack } from '../../support/cdk-app';
import { CONTRACT } from '../../support/contracts';

describe('DataCatalog', () => {
  test('a Glue database and a CSV table whose columns come from the contract', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    new DataCatalog(stack, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: lake.validatedBucket, prefix: 'validated/churn/data/' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Glue::Database', { CatalogId: '111111111111', DatabaseInput: { Name: 'aidlc_churn' } });
    const table = (Object.values(t.findResources('AWS::Glue::Table'))[0] as any).Properties;
    expect(table.DatabaseName).toBe('aidlc_churn');
    expect(table.TableInput).toMatchObject({
      Name: 'churn_model',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { 'classification': 'csv', 'skip.header.line.count': '1', 'has_encrypted_data': 'true' },
      StorageDescriptor: {
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',' } },
        Location: { 'Fn::Join': ['', ['s3://', { Ref: stack.resolve((lake.validatedBucket.node.defaultChild as any).logicalId) }, '/validated/churn/data/']] },
      },
    });
    expect(table.TableInput.StorageDescriptor.Columns).toEqual([
      { Name: 'customer_id', Type: 'bigint' },
      { Name: 'signup_date', Type: 'string', Comment: 'ISO 8601 timestamp' },
      { Name: 'monthly_charges', Type: 'double' },
      { Name: 'contract', Type: 'string', Comment: 'Contract term' },
      { Name: 'is_senior', Type: 'boolean' },
      { Name: 'churned', Type: 'bigint' },
    ]);
  });

  test('grantReadDefinition names the catalog, the database and the table', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    const catalog = new DataCatalog(stack, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: lake.validatedBucket });
    catalog.grantReadDefinition(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('athena.amazonaws.com') }));
    const statement = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toEqual(['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions']);
    expect(JSON.stringify(statement.Resource)).toMatch(/:catalog".*:database\/aidlc_churn".*:table\/aidlc_churn\/churn_model"/);
  });

  test('rejects a contract without columns and a database name Glue cannot take', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    expect(() => new DataCatalog(stack, 'A', { databaseName: 'x', contract: { columns: [] }, bucket: lake.validatedBucket })).toThrow(/DataCatalog: contract.columns = \[\]: has no columns. Fix: /);
    expect(() => new DataCatalog(stack, 'B', { databaseName: 'aidlc-churn', contract: CONTRACT, bucket: lake.validatedBucket })).toThrow(/databaseName = "aidlc-churn": is not a Glue database name this catalog makes. Fix: use 1 to 255 lower-case letters/);
  });
});
