import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { getPath, parseEmbeddedJson, readCloudAssembly, renderValue, resourcesOf } from '../../../src/core/templates/template';
import { tempDir } from '../../support/temp-dirs';

describe('renderValue', () => {
  test('renders literals, references and joins', () => {
    expect(renderValue('a')).toBe('a');
    expect(renderValue(3)).toBe('3');
    expect(renderValue({ Ref: 'Bucket' })).toBe('${Bucket}');
    expect(renderValue({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('${Role.Arn}');
    expect(renderValue({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] })).toBe('arn:${AWS::Partition}:s3:::${Bucket}/*');
    expect(renderValue({ 'Fn::Sub': ['arn:${AWS::Partition}:iam::aws:policy/${Name}', { Name: 'ReadOnlyAccess' }] })).toBe('arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess');
    expect(renderValue({ 'Fn::Select': [0, ['a']] })).toBe('${Fn::Select}');
    expect(renderValue({ 'Fn::ImportValue': 'churn-data:ExportsOutputRefLogs' })).toBe('${Import:churn-data:ExportsOutputRefLogs}');
    expect(renderValue({ a: 1, b: 2 })).toBeUndefined();
  });

  test('parses JSON embedded in a join, references as placeholder strings', () => {
    expect(parseEmbeddedJson({ 'Fn::Join': ['', ['{"Role":"', { 'Fn::GetAtt': ['Role', 'Arn'] }, '","N":2}']] })).toEqual({ Role: '${Role.Arn}', N: 2 });
    expect(parseEmbeddedJson('{"a":')).toBeUndefined();
  });

  test('reads nested properties by path', () => {
    expect(getPath({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
  });
});

describe('readCloudAssembly', () => {
  test('reads stacks by name from the manifest, nested assemblies included', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'assembly-Prod'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
      artifacts: {
        'churn-data': { type: 'aws:cloudformation:stack', properties: { templateFile: 'churn-data.template.json', stackName: 'churn-data' } },
        'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
        'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    }));
    writeFileSync(join(dir, 'churn-data.template.json'), JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'churn-data/Bucket/Resource' } } } }));
    writeFileSync(join(dir, 'assembly-Prod', 'manifest.json'), JSON.stringify({
      artifacts: { ProdServing: { type: 'aws:cloudformation:stack', displayName: 'Prod/churn-serving', properties: { templateFile: 'ProdServing.template.json' } } },
    }));
    writeFileSync(join(dir, 'assembly-Prod', 'ProdServing.template.json'), JSON.stringify({ Resources: {} }));

    const stacks = readCloudAssembly(dir);
    expect(stacks.map((s) => s.stackName)).toEqual(['churn-data', 'Prod/churn-serving']);
    expect(stacks[0].templatePath).toBe(join(dir, 'churn-data.template.json'));
    const [bucket] = resourcesOf(stacks, 'AWS::S3::Bucket');
    expect(bucket).toMatchObject({ stack: 'churn-data', logicalId: 'Bucket', path: 'churn-data/Bucket/Resource' });
  });

  test('falls back to every template file without a manifest', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.template.json'), '{}');
    writeFileSync(join(dir, 'a.template.json'), '{}');
    writeFileSync(join(dir, 'other.json'), '{}');
    expect(readCloudAssembly(dir).map((s) => s.stackName)).toEqual(['a', 'b']);
  });
});
