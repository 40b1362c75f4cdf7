import { Profiler, readJsonl, runGate } from '../../../pipelines/engine';
import { contract } from '../../support/contracts';
import { chunked, memorySource } from '../../support/data-sources';

const C = contract([
  { name: 'age', type: 'int', nullable: false, min: 0 },
  { name: 'plan', type: 'string', nullable: true, allowed: ['basic', 'pro'] },
  { name: 'score', type: 'float', nullable: false },
], { format: { type: 'jsonl' } });

describe('JSON Lines', () => {
  test('objects by name, arrays by position, absent keys as nulls, split across chunks', async () => {
    const text = '{"age": 30, "plan": "pro", "score": 0.5}\n[41, "basic", 1.25]\r\n\n{"age": 5, "score": "2.5"}\n';
    const r = await runGate(C, memorySource('d.jsonl', text, [3]));
    expect(r.verdict).toBe('pass');
    expect(r.profile!.columns.age).toMatchObject({ count: 3, min: 5, max: 41 });
    expect(r.profile!.columns.plan).toMatchObject({ nulls: 1, categories: { values: { pro: 1, basic: 1 } } });
    expect(r.profile!.columns.score).toMatchObject({ mean: (0.5 + 1.25 + 2.5) / 3 });
  });

  test('bad lines are malformed rows with their line; wrong JSON types are type violations', async () => {
    const text = '{"age": 30, "plan": "pro", "score": 0.5}\n{"age": 31,\n"just a string"\n{"age": 1.5, "plan": "pro", "score": true, "extra": 1}\n{"age": [1], "plan": "pro", "score": 1}\n';
    const r = await runGate(C, memorySource('d.jsonl', text));
    const v = Object.fromEntries(r.violations.map((x) => [x.id, x]));
    expect(v.malformed_rows.examples.map((e) => e.line)).toEqual([2, 3]);
    expect(v.malformed_rows.examples[0].message).toMatch(/is not valid JSON/);
    expect(v['type:age'].examples.map((e) => e.message)).toEqual(['value "1.5" is not a whole number', 'value "[1]" is a list, not a single value']);
    expect(v['type:score'].examples[0].message).toBe('value "true" is a boolean, not a float');
    expect(v['schema:columns'].message).toMatch(/unexpected column "extra" \(first seen at line 4\)/);
  });

  test('SageMaker data capture records: CSV, JSON and base64 payloads, features only', async () => {
    const capture = (data: string, encoding: string, contentType: string) => JSON.stringify({
      captureData: { endpointInput: { observedContentType: contentType, mode: 'INPUT', data, encoding }, endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.9', encoding: 'CSV' } },
      eventMetadata: { eventId: 'e', inferenceTime: '2026-11-01T00:00:00Z' },
      eventVersion: '0',
    });
    const lines = [
      capture('30,pro\n40,basic', 'CSV', 'text/csv'),
      capture(JSON.stringify({ instances: [{ age: 50, plan: 'pro' }, [60, null]] }), 'JSON', 'application/json'),
      capture(Buffer.from('70,').toString('base64'), 'BASE64', 'text/csv'),
    ].join('\n');
    const p = new Profiler(C, { columns: ['age', 'plan'] });
    await readJsonl(chunked(lines, [50]), p);
    const { profile } = p.finish();
    expect(profile.rows).toBe(5);
    expect(profile.columns.age).toMatchObject({ count: 5, min: 30, max: 70 });
    expect(profile.columns.plan).toMatchObject({ nulls: 2, categories: { values: { pro: 2, basic: 1 } } });
    expect(profile.columns.score).toBeUndefined();
  });

  test('an empty input and an over-long line are input errors', async () => {
    let r = await runGate(C, memorySource('d.jsonl', '\n\n'));
    expect(r).toMatchObject({ verdict: 'error', error: { message: 'the file is empty: no JSON records' } });
    r = await runGate(C, memorySource('d.jsonl', `{"age": 1}\n{"plan": "${'x'.repeat(5000)}"}\n`, [100]), { maxRecordBytes: 1000 });
    expect(r).toMatchObject({ verdict: 'error', error: { location: { line: 2 } } });
  });
});
