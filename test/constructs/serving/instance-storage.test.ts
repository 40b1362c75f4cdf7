import { hasInstanceStorage } from '../../../src/constructs/serving/instance-storage';

describe('instance storage (KMS on the endpoint config)', () => {
  test.each([
    'ml.m5d.large', 'ml.m5d.24xlarge', 'ml.c5d.xlarge', 'ml.r5d.2xlarge', 'ml.c6id.large', 'ml.m6id.xlarge', 'ml.r6id.large',
    'ml.g4dn.xlarge', 'ml.g4ad.xlarge', 'ml.p3dn.24xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge',
    'ml.g5.xlarge', 'ml.g6.2xlarge', 'ml.g6e.xlarge', 'ml.p5.48xlarge', 'ml.p5e.48xlarge', 'ml.trn1.2xlarge', 'ml.trn1n.32xlarge',
  ])('%s has local NVMe storage: no volume key', (type) => {
    expect(hasInstanceStorage(type)).toBe(true);
  });

  test.each([
    'ml.m5.large', 'ml.m5.xlarge', 'ml.c5.xlarge', 'ml.r5.large', 'ml.m6g.large', 'ml.c6g.xlarge', 'ml.m7i.large', 'ml.c7g.large',
    'ml.t2.medium', 'ml.p3.2xlarge', 'ml.inf1.xlarge', 'ml.inf2.xlarge',
  ])('%s uses EBS volumes: takes the volume key', (type) => {
    expect(hasInstanceStorage(type)).toBe(false);
  });

  test('a string that is not an ml instance type has no instance storage', () => {
    expect(hasInstanceStorage('m5d.large')).toBe(false);
  });
});
