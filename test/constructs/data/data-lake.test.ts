import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DataLake } from '../../../src/constructs';
import { testStack } from '../../support/cdk-app';
import { nagFindings } from '../../support/compliance';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../../support/key-policy-statements';

describe('DataLake', () => {
  const stack = testStack();
  const lake = new DataLake(stack, 'Lake', { keyAlias: 'alias/aidlc/churn', rawToGlacierDays: 30 });
  const t = Template.fromStack(stack);
  const ref = (c: { node: { defaultChild?: unknown } }) => stack.resolve((c.node.defaultChild as { logicalId: string }).logicalId);
  const keyId = ref(lake.key as never);
  const buckets = t.findResources('AWS::S3::Bucket');
  const logsId = ref(lake.accessLogsBucket as never);

  test('one customer managed key with rotation and the alias; kept on removal', () => {
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aidlc/churn' });
  });

  test('six buckets (raw, validated, quarantine, artifacts, access logs, trail logs), all hardened alike', () => {
    expect(Object.keys(buckets)).toHaveLength(6);
    for (const [id, b] of Object.entries(buckets)) {
      const p = (b as { Properties: Record<string, any> }).Properties;
      expect({ id, enc: p.BucketEncryption.ServerSideEncryptionConfiguration }).toEqual({
        id,
        enc: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }],
      });
      const blockAll = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
      expect({ id, bpa: p.PublicAccessBlockConfiguration }).toEqual({ id, bpa: blockAll });
      expect({ id, v: p.VersioningConfiguration }).toEqual({ id, v: { Status: 'Enabled' } });
      expect({ id, o: p.OwnershipControls }).toEqual({ id, o: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
      expect({ id, retain: (b as { DeletionPolicy: string }).DeletionPolicy }).toEqual({ id, retain: 'Retain' });
      if (id !== logsId) expect({ id, log: p.LoggingConfiguration.DestinationBucketName }).toEqual({ id, log: { Ref: logsId } });
    }
  });

  test('every bucket policy refuses plain HTTP, TLS below 1.2, other encryption and other keys', () => {
    const policies = t.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(6);
    for (const p of Object.values(policies)) {
      const statements = (p as any).Properties.PolicyDocument.Statement as any[];
      const deny = (cond: string) => statements.filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes(cond));
      expect(deny('"aws:SecureTransport":"false"')).toHaveLength(1);
      expect(deny('"s3:TlsVersion":1.2')).toHaveLength(1);
      expect(deny('"s3:x-amz-server-side-encryption":"aws:kms"')[0]).toMatchObject({
        Action: 's3:PutObject',
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption': 'false' } },
      });
      expect(deny('s3:x-amz-server-side-encryption-aws-kms-key-id')[0].Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual([
        { 'Fn::GetAtt': [keyId, 'Arn'] }, { Ref: keyId },
      ]);
    }
  });

  test('raw datasets move to Glacier after the configured days and send their events to EventBridge', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Id: 'RawToGlacier',
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }],
          NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }],
        })]),
      },
    });
  });

  test('a trail records every S3 data event of the four data buckets, encrypted, validated and in CloudWatch Logs', () => {
    const trail = Object.values(t.findResources('AWS::CloudTrail::Trail'))[0] as any;
    const p = trail.Properties;
    expect(p).toMatchObject({
      IsLogging: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      S3BucketName: { Ref: ref(lake.trailBucket as never) },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/TrailLogGroup/), 'Arn'] },
    });
    expect(p.EventSelectors).toHaveLength(1);
    expect(p.EventSelectors[0]).toMatchObject({ IncludeManagementEvents: false, ReadWriteType: 'All' });
    const objects = p.EventSelectors[0].DataResources[0];
    expect(objects.Type).toBe('AWS::S3::Object');
    const logged = objects.Values.map((v: any) => v['Fn::Join'][1][0]['Fn::GetAtt'][0]).sort();
    expect(logged).toEqual([lake.rawBucket, lake.validatedBucket, lake.quarantineBucket, lake.artifactsBucket].map((b) => ref(b as never)).sort());
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 });
  });

  test('the key lets CloudTrail and CloudWatch Logs encrypt only for this account', () => {
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    const statements = key.Properties.KeyPolicy.Statement as any[];
    const sid = (s: string) => statements.find((x) => x.Sid === s);
    expect(sid('CloudTrailEncryption')).toMatchObject({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*' });
    expect(JSON.stringify(sid('CloudTrailEncryption').Condition)).toContain(':111111111111:trail/*');
    expect(JSON.stringify(sid('CloudWatchLogsEncryption').Condition)).toContain(':111111111111:log-group:*');
  });

  test('grants on the key can only be created for AWS resources', () => {
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(GRANTS_ONLY_FOR_AWS_RESOURCES);
  });

  test('grants give exactly the named access', () => {
    const s = testStack('Grants');
    const l = new DataLake(s, 'Lake', { dataEventsTrail: false, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(s, 'Uploader', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
    l.grantUpload(role, 'raw/churn/');
    l.grantReadValidated(role, 'validated/churn/');
    const tt = Template.fromStack(s);
    tt.resourceCountIs('AWS::CloudTrail::Trail', 0);
    const policy = Object.values(tt.findResources('AWS::IAM::Policy'))[0] as any;
    const statements = (policy.Properties.PolicyDocument.Statement as any[])
      .map((x) => ({ a: x.Action, r: JSON.stringify(x.Resource), c: x.Condition }));
    expect(statements).toEqual([
      { a: ['s3:PutObject', 's3:AbortMultipartUpload'], r: expect.stringMatching(/LakeRaw.*raw\/churn\/\*/), c: undefined },
      { a: ['kms:GenerateDataKey', 'kms:Decrypt'], r: expect.stringMatching(/LakeKey/), c: undefined },
      { a: ['s3:GetObject', 's3:GetObjectVersion'], r: expect.stringMatching(/LakeValidated.*validated\/churn\/\*/), c: undefined },
      { a: 's3:ListBucket', r: expect.stringMatching(/LakeValidated/), c: { StringLike: { 's3:prefix': ['validated/churn/*'] } } },
      { a: 'kms:Decrypt', r: expect.stringMatching(/LakeKey/), c: undefined },
    ]);
  });

  test('rejects a Glacier delay that is not a whole number of days', () => {
    expect(() => new DataLake(testStack('Bad'), 'Lake', { rawToGlacierDays: 0.5 })).toThrow(/DataLake: rawToGlacierDays = 0.5: is not a whole number of days, at least 1. Fix: give whole days/);
    expect(() => new DataLake(testStack('Bad2'), 'Lake', { validatedRetentionDays: 0 })).toThrow(/validatedRetentionDays = 0: is not a whole number of days, at least 1/);
    expect(() => new DataLake(testStack('Bad3'), 'Lake', { dataCaptureRetentionDays: 2.5 })).toThrow(/dataCaptureRetentionDays = 2.5: is not a whole number of days/);
  });

  test('without retention settings, validated datasets and captures are kept (the construct\'s default)', () => {
    const ids = (Object.values(buckets) as any[]).flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? []).map((r: any) => r.Id);
    expect(ids).not.toContain('ExpireValidatedDatasets');
    expect(ids).not.toContain('ExpireDataCapture');
  });

  test('with a data boundary, the data buckets and the captured traffic refuse reads from outside the network, except the named roles', () => {
    const s = testStack('Boundary');
    const readers = ['arn:aws:iam::111111111111:role/churn-github-read', 'arn:aws:iam::111111111111:role/churn-delivery-gate'];
    const bounded = new DataLake(s, 'Lake', { dataBoundary: { conditionKey: 'aws:SourceVpce', values: ['vpce-0a1b2c3d4e5f67890'] }, outsideReaderRoleArns: readers });
    const bt = Template.fromStack(s);
    const id = (c: { node: { defaultChild?: unknown } }) => s.resolve((c.node.defaultChild as { logicalId: string }).logicalId);
    const denyOf = (bucket: unknown) => (Object.values(bt.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: id(bucket as never) } } }))[0] as any)
      .Properties.PolicyDocument.Statement.find((st: any) => st.Sid === 'DenyDataReadsOutsideTheNetwork');
    for (const bucket of [bounded.rawBucket, bounded.validatedBucket, bounded.quarantineBucket]) {
      expect(denyOf(bucket)).toEqual({
        Sid: 'DenyDataReadsOutsideTheNetwork',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(bucket as never), 'Arn'] }, '/*']] },
        Condition: {
          StringNotEquals: { 'aws:SourceVpce': ['vpce-0a1b2c3d4e5f67890'] },
          BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
          ArnNotLike: { 'aws:PrincipalArn': readers },
        },
      });
    }
    expect(denyOf(bounded.artifactsBucket).Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(bounded.artifactsBucket as never), 'Arn'] }, '/data-capture/*']] });
    expect(denyOf(bounded.accessLogsBucket)).toBeUndefined();
    const tags = (bucket: unknown) => ((bt.toJSON().Resources[id(bucket as never)].Properties.Tags ?? []) as any[]).find((tag) => tag.Key === 'aidlc:data-class')?.Value;
    expect([bounded.rawBucket, bounded.validatedBucket, bounded.quarantineBucket, bounded.artifactsBucket, bounded.accessLogsBucket].map(tags))
      .toEqual(['datasets', 'datasets', 'datasets', 'captured-traffic', undefined]);
    expect(nagFindings(s)).toEqual([]);
  });

  test('without one, no bucket refuses reads by network', () => {
    expect(JSON.stringify(t.toJSON())).not.toContain('DenyDataReadsOutsideTheNetwork');
  });

  test('passes the four compliance packs with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
