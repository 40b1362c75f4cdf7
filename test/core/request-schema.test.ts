import Ajv from 'ajv-draft-04';
import { parse } from 'csv-parse/sync';
import { RequestCheck, formatProblem } from '../../pipelines/cli/api/request-check';
import { toInstance } from '../../pipelines/cli/api/rows';
import { smokeCases } from '../../pipelines/cli/api/smoke-cases';
import { MonitoringStack } from '../../src/app/stacks/monitoring-stack';
import { AidlcConfig, ColumnType } from '../../src/config';
import { DRAFT_04, modelFeatures, requestSchema, requestSchemaOf } from '../../src/core/request-schema';
import { churnSampleCsv } from '../../src/project/sample-data';

const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
const contract = config.data.contract;
const schema = requestSchemaOf(config);
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const sampleRows = (parse(churnSampleCsv({ rows: 300 }), { columns: true }) as Record<string, string>[]).map((r) => toInstance(r, contract));
const row = sampleRows[0];

function accepts(body: unknown): boolean {
  return validate(body) === true;
}

describe('request schema', () => {
  test('is a draft-04 document Ajv\'s draft-04 meta-schema accepts', () => {
    const ajv = new Ajv({ strict: false });
    expect(schema.$schema).toBe(DRAFT_04);
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  test('requires the model\'s features: the contract without target, keys and timestamps (what drift is scored on)', () => {
    const items = (schema.properties as any).instances.items;
    expect(items.required).toEqual(['age', 'tenure_months', 'monthly_charges', 'total_charges', 'contract', 'payment_method', 'support_calls', 'is_senior']);
    expect(modelFeatures(contract)).toEqual(MonitoringStack.featuresOf(config));
    expect(Object.keys(items.properties)).not.toContain('churned');
    expect(items.additionalProperties).toBe(false);
    expect((schema.properties as any).instances).toMatchObject({ minItems: 1, maxItems: 100 });
  });

  test('column types, bounds, allowed values and nulls come from the contract', () => {
    const p = (schema.properties as any).instances.items.properties;
    expect(p.age).toEqual({ type: 'integer', minimum: 18, maximum: 100, description: 'Age in years' });
    expect(p.monthly_charges).toMatchObject({ type: 'number', minimum: 0, maximum: 1000 });
    expect(p.total_charges).toMatchObject({ type: ['number', 'null'], minimum: 0 });
    expect(p.contract).toMatchObject({ type: 'string', enum: ['month-to-month', 'one-year', 'two-year'] });
    expect(p.payment_method).toMatchObject({ type: ['string', 'null'], enum: ['card', 'bank-transfer', 'electronic-check', 'mailed-check', null] });
    expect(p.is_senior).toMatchObject({ type: 'boolean' });
    expect(p.signup_date.type).toBe('string');
    expect(p.customer_id).toMatchObject({ type: 'integer', minimum: 1 });
  });

  test('every row of the sample, as the CLI sends it, is a valid request', () => {
    for (let i = 0; i < sampleRows.length; i += 100) {
      const batch = sampleRows.slice(i, i + 100);
      expect({ from: i, ok: accepts({ instances: batch }), errors: validate.errors }).toEqual({ from: i, ok: true, errors: null });
    }
    expect(sampleRows.some((r) => r.total_charges === null)).toBe(true);
  });

  test('keys and timestamps may be left out; nullable features may be null', () => {
    const { customer_id: _id, signup_date: _date, ...features } = row;
    expect(accepts({ instances: [features] })).toBe(true);
    expect(accepts({ instances: [{ ...row, total_charges: null, payment_method: null }] })).toBe(true);
    expect(accepts({ instances: [{ ...row, signup_date: '2024-03-01T10:15:00Z' }] })).toBe(true);
    expect(accepts({ instances: [{ ...row, signup_date: 'yesterday' }] })).toBe(false);
  });

  test.each(smokeCases(contract, [row], 100).filter((c) => c.expectStatus === 400).map((c) => [c.name, c] as const))(
    'rejects %s', (_name, c) => {
      expect(accepts(c.payload)).toBe(false);
    });

  test('the smoke test covers every rule the contract uses', () => {
    expect(smokeCases(contract, [row], 100).map((c) => c.name)).toEqual([
      '1 row(s) of the sample',
      'missing feature "age"',
      'unknown column "not_a_contract_column"',
      'the target column "churned"',
      'text in number column "age"',
      '"age" above its maximum 100',
      '"age" below its minimum 18',
      '"contract" outside its allowed values',
      'null in non-nullable "age"',
      '101 rows, one above maxBatchSize',
      'no rows',
      'rows without the "instances" wrapper',
    ]);
  });

  test('the local check names row and column the way a person reads the file', () => {
    const check = new RequestCheck(schema);
    const problems = check.problems({ instances: [row, { ...row, age: 150, plan: 'gold' }, { ...row, contract: 'monthly' }] }).map(formatProblem);
    expect(problems).toEqual(expect.arrayContaining([
      'row 2, column "age": must be <= 100',
      'row 2, column "plan": is not a column the API accepts',
      'row 3, column "contract": must be equal to one of the allowed values ["month-to-month","one-year","two-year"]',
    ]));
    const missing = check.problems({ instances: [{ ...row, age: undefined }] }).map(formatProblem);
    expect(missing).toEqual(['row 1, column "age": is missing']);
  });

  test('int allowed values are numbers; a contract of keys alone requires nothing', () => {
    const c = AidlcConfig.resolve({
      modelName: 'model',
      githubRepository: 'a/model',
      data: { contract: { targetColumn: 'y', keyColumns: ['id'], columns: [{ name: 'id', type: ColumnType.INT }, { name: 'y', type: ColumnType.INT, allowedValues: ['0', '1'] }] } },
    }).data.contract;
    const s = requestSchema(c, { maxBatchSize: 5 }) as any;
    expect(s.properties.instances.items.required).toBeUndefined();
    expect(new Ajv({ strict: false }).validateSchema(s)).toBe(true);
    const level = AidlcConfig.resolve({
      modelName: 'model',
      githubRepository: 'a/model',
      data: { contract: { targetColumn: 'y', columns: [{ name: 'level', type: ColumnType.INT, allowedValues: ['1', '2'], nullable: true }, { name: 'y', type: ColumnType.INT }] } },
    }).data.contract;
    expect((requestSchema(level, { maxBatchSize: 5 }) as any).properties.instances.items.properties.level.enum).toEqual([1, 2, null]);
    expect(() => requestSchema(level, { maxBatchSize: 0 })).toThrow(/maxBatchSize = 0: is not a positive whole number/);
  });
});
