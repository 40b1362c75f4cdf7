import { Component, Project, SampleFile } from 'projen';
import { CONFIG_SNAPSHOT_PATH, CONTRACT_PATH } from './config-snapshot';
import { ResolvedConfig } from '../../config';

/** A test that breaks one value of the sample against the contract and expects the gate to say so. */
function violationTest(config: ResolvedConfig): string[] {
  const columns = config.data.contract.columns;
  const index = columns.findIndex((c) => c.max !== undefined || c.allowedValues !== undefined);
  if (index < 0) return [];
  const column = columns[index];
  const bad = column.max !== undefined ? String(column.max + 1) : 'not-an-allowed-value';
  return [
    `test('a value outside the contract (${column.name} = ${bad}) fails the gate', () => {`,
    `  const [header, first, ...rows] = readFileSync('${config.data.samplePath}', 'utf-8').split('\\n');`,
    "  const cells = first.split(',');",
    `  cells[${index}] = '${bad}';`,
    "  const broken = join(mkdtempSync(join(tmpdir(), 'gate-')), 'broken.csv');",
    "  writeFileSync(broken, [header, cells.join(','), ...rows].join('\\n'));",
    '  expect(gate(broken).status).toBe(1);',
    '});',
    '',
  ];
}

function infraTest(config: ResolvedConfig): string {
  return [
    "import { Stack } from 'aws-cdk-lib';",
    "import { Template } from 'aws-cdk-lib/assertions';",
    "import { AidlcApp, AidlcConfig } from 'aidlc-pipeline';",
    '',
    '// `npx projen build` runs every check at `cdk synth` just before the tests; here the Control Tower',
    "// controls and CDK's own CloudFormation schema validation are left to it, to keep the tests quick",
    '// (the cdk-nag packs and the guardrails still run).',
    'const app = new AidlcApp({',
    `  config: AidlcConfig.load('${CONFIG_SNAPSHOT_PATH}'),`,
    '  builtinCloudFormationValidation: false,',
    "  context: { 'aidlc:controlTower': false },",
    '});',
    'const stacks = app.node.children.filter(Stack.isStack);',
    '',
    "test('one stack per concern', () => {",
    `  expect(stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining(['${config.modelName}-data', '${config.modelName}-training', '${config.modelName}-monitoring']));`,
    '});',
    '',
    "test.each(stacks.map((s) => [s.stackName, s] as const))('%s: buckets are KMS-encrypted and private, no IAM action is *', (_name, stack) => {",
    '  const template = Template.fromStack(stack);',
    "  for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {",
    "    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');",
    '    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({',
    '      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,',
    '    });',
    '  }',
    "  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {",
    '    for (const statement of policy.Properties.PolicyDocument.Statement) {',
    "      expect([statement.Action].flat()).not.toContain('*');",
    '    }',
    '  }',
    '});',
    '',
  ].join('\n');
}

/**
 * Tests written once into a new repository, for the user to keep and extend: infrastructure
 * assertions on the synthesized stacks and the data gate on the sample.
 */
export class SampleTests extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project);
    new SampleFile(project, 'test/infra.test.ts', { contents: infraTest(config) });
    new SampleFile(project, 'test/data-gate.test.ts', {
      contents: [
        "import { spawnSync } from 'child_process';",
        "import { mkdtempSync, readFileSync, writeFileSync } from 'fs';",
        "import { tmpdir } from 'os';",
        "import { join } from 'path';",
        '',
        'function gate(data: string) {',
        `  return spawnSync('node_modules/.bin/aidlc', ['gate', '--contract', '${CONTRACT_PATH}', '--data', data], { encoding: 'utf-8' });`,
        '}',
        '',
        "test('the sample passes the data contract', () => {",
        `  expect(gate('${config.data.samplePath}').status).toBe(0);`,
        '});',
        '',
        ...violationTest(config),
      ].join('\n'),
    });
  }
}
