import { FunctionEnvironment } from '../../../pipelines/shared/function-environment';
import { InvalidValuesError } from '../../../src/core/problem';

const env = (vars: Record<string, string>) => new FunctionEnvironment(vars, 'BuiltinDriftMonitor');

test('reads text, numbers and JSON arrays of names', () => {
  const e = env({ NAME: 'churn-prod', HOURS: '24', FEATURES: '["age","contract"]' });
  expect(e.text('NAME')).toBe('churn-prod');
  expect(e.number('HOURS')).toBe(24);
  expect(e.names('FEATURES')).toEqual(['age', 'contract']);
});

test('a missing or unusable variable is named with its value and the construct that sets it', () => {
  const e = env({ EMPTY: '', HOURS: 'a day', FEATURES: '["age",', COLUMNS: '[]' });
  expect(() => e.text('MISSING')).toThrow(InvalidValuesError);
  expect(() => e.text('MISSING')).toThrow('function environment: MISSING = (not set): is not set. Fix: the BuiltinDriftMonitor construct sets it: deploy the function with it');
  expect(() => e.text('EMPTY')).toThrow('EMPTY = "": is not set.');
  expect(() => e.number('HOURS')).toThrow('HOURS = "a day": is not a number.');
  expect(() => e.names('FEATURES')).toThrow('FEATURES = "[\\"age\\",": is not JSON.');
  expect(() => e.names('COLUMNS')).toThrow('COLUMNS = "[]": is not a JSON array of names.');
  expect(e.invalid('HOURS', 'is not whole', 'a whole number').message).toBe('function environment: HOURS = "a day": is not whole. Fix: set it to a whole number; the BuiltinDriftMonitor construct sets it: deploy the function with it');
});
