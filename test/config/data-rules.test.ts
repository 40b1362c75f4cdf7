import { ColumnType, DataContractOptions, GateEngine } from '../../src/config';
import { SAMPLE_CONTRACT } from '../../src/config/defaults';
import { problemAt, problemsOf } from '../support/configs';

function withContract(contract: Partial<DataContractOptions>) {
  return problemsOf({ data: { contract: { ...SAMPLE_CONTRACT, ...contract } } });
}

describe('data contract rules', () => {
  test('the sample contract is valid', () => {
    expect(withContract({})).toEqual([]);
  });

  test('an unknown column type names the column and lists the types', () => {
    const columns = [...SAMPLE_CONTRACT.columns];
    columns[2] = { ...columns[2], type: 'integer' as ColumnType };
    const p = problemAt(withContract({ columns }), 'data.contract.columns[2].type');
    expect(p.value).toBe('integer');
    expect(p.fix).toContain('ColumnType.INT');
  });

  test('duplicate column names point at the repeat and the original', () => {
    const columns = [...SAMPLE_CONTRACT.columns, { name: 'age', type: ColumnType.INT }];
    const p = problemAt(withContract({ columns }), `data.contract.columns[${columns.length - 1}].name`);
    expect(p.message).toBe('duplicates columns[2]');
  });

  test('a target that is not a column lists the columns', () => {
    const p = problemAt(withContract({ targetColumn: 'label' }), 'data.contract.targetColumn');
    expect(p.value).toBe('label');
    expect(p.fix).toContain('"churned"');
  });

  test('a key that is not a column, or is the target, is rejected', () => {
    problemAt(withContract({ keyColumns: ['id'] }), 'data.contract.keyColumns[0]');
    expect(problemAt(withContract({ keyColumns: ['churned'] }), 'data.contract.keyColumns[0]').message).toBe('is the target column');
  });

  test('min above max, bounds on strings, allowed values on floats are rejected', () => {
    const columns = [
      { name: 'a', type: ColumnType.FLOAT, min: 5, max: 1 },
      { name: 'b', type: ColumnType.STRING, min: 0 },
      { name: 'c', type: ColumnType.FLOAT, allowedValues: ['1.5'] },
      { name: 'd', type: ColumnType.INT, allowedValues: ['0', 'one'] },
      { name: 'churned', type: ColumnType.INT },
    ];
    const problems = withContract({ columns, keyColumns: [] });
    expect(problemAt(problems, 'data.contract.columns[0].min').message).toBe('is above max (1)');
    problemAt(problems, 'data.contract.columns[1].min');
    problemAt(problems, 'data.contract.columns[2].allowedValues');
    expect(problemAt(problems, 'data.contract.columns[3].allowedValues').value).toEqual(['one']);
  });

  test('maxNullRatio needs a nullable column and a ratio in 0..1', () => {
    const columns = [
      { name: 'a', type: ColumnType.FLOAT, maxNullRatio: 0.1 },
      { name: 'b', type: ColumnType.FLOAT, nullable: true, maxNullRatio: 1.5 },
      { name: 'churned', type: ColumnType.INT },
    ];
    const problems = withContract({ columns, keyColumns: [] });
    expect(problemAt(problems, 'data.contract.columns[0].maxNullRatio').fix).toContain('nullable: true');
    expect(problemAt(problems, 'data.contract.columns[1].maxNullRatio').message).toContain('from 0 to 1');
  });

  test('thresholds out of range are rejected', () => {
    const problems = problemsOf({ data: { driftPsiThreshold: 0, driftKsThreshold: 2, rawToGlacierDays: 0.5 } });
    problemAt(problems, 'data.driftPsiThreshold');
    problemAt(problems, 'data.driftKsThreshold');
    expect(problemAt(problems, 'data.rawToGlacierDays').message).toContain('whole number');
  });

  test('validated datasets are kept a whole number of days, 1 to 3650', () => {
    for (const days of [0, 1.5, 3651]) {
      const p = problemAt(problemsOf({ data: { validatedRetentionDays: days } }), 'data.validatedRetentionDays');
      expect(p.value).toBe(days);
      expect(p.fix).toBe('set a whole number from 1 to 3650');
    }
    expect(problemsOf({ data: { validatedRetentionDays: 730 } })).toEqual([]);
  });

  test('the gate engine: an enum value, Athena\'s smallest scan limit, a threshold only with AUTO', () => {
    let problems = problemsOf({ data: { gateEngine: 'SPARK' as GateEngine, gateScanLimitGb: 0.001 } });
    expect(problemAt(problems, 'data.gateEngine').fix).toBe('use one of GateEngine.STREAMING, GateEngine.ATHENA, GateEngine.AUTO');
    expect(problemAt(problems, 'data.gateScanLimitGb').message).toContain('from 0.01');
    problems = problemsOf({ data: { gateEngine: GateEngine.STREAMING, gateAthenaThresholdGb: 10 } });
    expect(problemAt(problems, 'data.gateAthenaThresholdGb').fix).toBe('set data.gateEngine to GateEngine.AUTO or remove gateAthenaThresholdGb');
    expect(problemsOf({ data: { gateEngine: GateEngine.AUTO, gateAthenaThresholdGb: 10, gateScanLimitGb: 200 } })).toEqual([]);
    problems = problemsOf({ data: { gateEngine: GateEngine.AUTO, gateAthenaThresholdGb: 0 } });
    problemAt(problems, 'data.gateAthenaThresholdGb');
  });

  test('paths and prefixes must be relative and well formed', () => {
    const problems = problemsOf({ data: { samplePath: '/etc/passwd', s3Prefix: 'raw' } });
    problemAt(problems, 'data.samplePath');
    expect(problemAt(problems, 'data.s3Prefix').fix).toContain('raw/churn/');
  });

  test('an empty column list is one problem, not a cascade', () => {
    const problems = withContract({ columns: [] });
    expect(problems.map((p) => p.path)).toEqual(['data.contract.columns']);
  });
});
