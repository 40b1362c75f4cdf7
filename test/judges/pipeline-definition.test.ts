import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { allSteps, judgedDefinitions } from '../support/judged-pipeline-definitions';
import { SCHEMA_LAGS, SchemaLag } from '../support/pipeline-schema-lags';

/**
 * Every step of the SageMaker Pipeline definition each judged config produces, against AWS's
 * published pipeline definition schema (with the lags of `pipeline-schema-lags.ts` corrected) and
 * against the SageMaker API's request shapes in botocore's service model. Steps added to the
 * definition are judged without a change here.
 */
const VENDORED = join(__dirname, 'vendor', 'sagemaker-pipeline-definition-schema', 'pipeline-definition.schema.json');
const definitions = judgedDefinitions();

function pointer(root: any, at: string): any {
  return at.split('/').slice(1).reduce((node, key) => {
    const next = node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (next === undefined) throw new Error(`the schema has nothing at ${at} (at "${key}"): was it updated? Check the lag`);
    return next;
  }, root);
}

/** The vendored schema with the given lags corrected, compiled. */
function compile(lags: ReadonlyArray<SchemaLag>): { ajv: Ajv; root: ValidateFunction } {
  const schema = JSON.parse(readFileSync(VENDORED, 'utf-8'));
  // "http://json-schema.org/schema#" names no draft; its keywords are draft-07's.
  delete schema.$schema;
  for (const lag of lags) Object.assign(pointer(schema, lag.at), lag.set);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema, 'pipeline');
  return { ajv, root: ajv.getSchema('pipeline')! };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Schema errors of each step, validated against the definition of its type; and of the whole definition. */
function schemaErrors(ajv: Ajv, root: ValidateFunction, definition: any): string[] {
  const errors: string[] = [];
  for (const step of allSteps(definition.Steps)) {
    const validate = ajv.getSchema(`pipeline#/definitions/${step.Type}Step`);
    if (!validate) {
      errors.push(`${step.Name}: the schema has no step type ${step.Type}`);
      continue;
    }
    if (!validate(step)) errors.push(...describeErrors(validate.errors).map((e) => `${step.Name} (${step.Type}) ${e}`));
  }
  if (errors.length === 0 && !root(definition)) errors.push(...describeErrors(root.errors).map((e) => `definition ${e}`));
  return errors;
}

describe('the pipeline definition schema (aws-sagemaker-mlops, vendored)', () => {
  const { ajv, root } = compile(SCHEMA_LAGS);

  test.each(definitions.map((d) => [d.name, d]))('%s: every step is valid', (_name, d) => {
    const steps = allSteps((d as any).definition.Steps);
    expect(steps.map((s) => s.Type)).toEqual(expect.arrayContaining(['Processing', 'Training', 'Condition', 'RegisterModel', 'Fail']));
    expect(schemaErrors(ajv, root, (d as any).definition)).toEqual([]);
  });

  test.each(SCHEMA_LAGS.map((lag, i) => [`${lag.at} ${Object.keys(lag.set).join(', ')}`, i]))('the lag at %s is still needed', (_what, i) => {
    const others = compile(SCHEMA_LAGS.filter((_, j) => j !== i));
    const errors = definitions.flatMap((d) => schemaErrors(others.ajv, others.root, d.definition));
    expect(errors.length).toBeGreaterThan(0);
  });

  test('the schema is live: an unknown step member, a wrong type and an unknown step type are errors', () => {
    const definition = JSON.parse(JSON.stringify(definitions[0].definition));
    const train = definition.Steps.find((s: any) => s.Type === 'Training');
    train.Arguments.ResourceConfig.InstanceCount = 'two';
    train.Retries = 3;
    definition.Steps.push({ Name: 'Notify', Type: 'Email', Arguments: {} });
    expect(schemaErrors(ajv, root, definition)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Train \(Training\) \/Arguments\/ResourceConfig\/InstanceCount must be integer/),
      expect.stringMatching(/^Train \(Training\) \/ must NOT have additional properties \{"additionalProperty":"Retries"\}/),
      'Notify: the schema has no step type Email',
    ]));
  });
});

const python = spawnSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf-8' });
const hasBotocore = python.status === 0;
if (!hasBotocore) console.log('python3 with botocore is not on PATH (scripts/install.sh says how to get it): the SageMaker API shape checks are skipped');

interface ShapeReport {
  botocore: string;
  steps: Array<{ definition: string; step: string; type: string; operation: string | null; findings: string[] }>;
  members: Record<string, string | null>;
  patternsSkipped: string[];
}

function checkShapes(input: { definitions: Array<{ name: string; definition: unknown }>; members?: string[] }): ShapeReport {
  const run = spawnSync('python3', [join(__dirname, 'botocore_shapes.py')], { input: JSON.stringify(input), encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`botocore_shapes.py failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

(hasBotocore ? describe : describe.skip)(`the SageMaker API request shapes (botocore ${python.stdout?.trim()})`, () => {
  let report: ShapeReport;

  beforeAll(() => {
    report = checkShapes({
      definitions: definitions.map((d) => ({ name: d.name, definition: d.definition })),
      members: SCHEMA_LAGS.map((l) => l.botocore).filter((m): m is string => m !== undefined),
    });
  });

  test.each(definitions.map((d) => [d.name]))('%s: the Arguments of every step are a valid request', (name) => {
    const steps = report.steps.filter((s) => s.definition === name);
    expect(steps.map((s) => `${s.step} ${s.type} ${s.operation ?? '(no API request)'}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/ Processing CreateProcessingJob$/),
      expect.stringMatching(/ Training CreateTrainingJob$/),
      expect.stringMatching(/ RegisterModel CreateModelPackage$/),
    ]));
    expect(steps.filter((s) => s.findings.length > 0)).toEqual([]);
    expect(report.patternsSkipped).toEqual([]);
  });

  test('every member a schema lag leaves to botocore is one of the API\'s', () => {
    for (const [member, type] of Object.entries(report.members)) expect({ member, type }).toEqual({ member, type: expect.any(String) });
    expect(Object.keys(report.members)).toHaveLength(SCHEMA_LAGS.filter((l) => l.botocore).length);
  });

  test('the check is live: a wrong enum value, type, pattern, a missing and an unknown member are findings', () => {
    const definition = JSON.parse(JSON.stringify(definitions[0].definition));
    const train = definition.Steps.find((s: any) => s.Type === 'Training');
    train.Arguments.ResourceConfig.InstanceType = 'm5.xlarge';
    train.Arguments.StoppingCondition.MaxWaitTimeInSeconds = '7200';
    train.Arguments.RoleArn = 'arn:aws:iam::123:role/x';
    train.Arguments.EnableSpot = true;
    delete train.Arguments.AlgorithmSpecification.TrainingInputMode;
    train.Arguments.OutputDataConfig.S3OutputPath = { 'Std:JsonGet': { PropertyFile: 'x', Path: 'y' } };
    train.Arguments.StoppingCondition.MaxRuntimeInSeconds = { 'Std:Join': { On: '', Values: ['1'] } };
    const [step] = checkShapes({ definitions: [{ name: 'broken', definition: { Steps: [train] } }] }).steps;
    expect(step.findings).toHaveLength(6);
    expect(step.findings).toEqual(expect.arrayContaining([
      'Arguments.AlgorithmSpecification: AlgorithmSpecification requires TrainingInputMode',
      expect.stringMatching(/^Arguments\.EnableSpot: not a member of CreateTrainingJobRequest/),
      expect.stringMatching(/^Arguments\.ResourceConfig\.InstanceType: 'm5\.xlarge' is not one of TrainingInstanceType's values/),
      expect.stringMatching(/^Arguments\.RoleArn: 'arn:aws:iam::123:role\/x' does not match RoleArn's pattern/),
      'Arguments.StoppingCondition.MaxRuntimeInSeconds: Std:Join yields a string, MaxRuntimeInSeconds is integer',
      'Arguments.StoppingCondition.MaxWaitTimeInSeconds: MaxWaitTimeInSeconds is an integer, got str \'7200\'',
    ]));
  });
});
