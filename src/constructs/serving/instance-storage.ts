/**
 * Whether a SageMaker instance type has local NVMe instance storage.
 *
 * SageMaker rejects a `KmsKeyId` on an endpoint configuration whose instances have local
 * storage: those volumes are encrypted by a hardware module on the instance instead. The rule:
 * families whose attribute letters after the generation number include `d` (m5d, c6id, r5dn,
 * g4dn, p4d, p3dn, ...) carry instance storage, and so do the accelerated families listed in
 * NVME_FAMILIES that have it without the letter (g5, g6, p5, trn1, ...). Every other family
 * (m5, c5, r5, inf1, inf2, p3, t2, ...) uses EBS volumes, which take the key. A family this rule
 * does not know yet can be declared with `CanaryEndpointProps.instanceStorage`.
 */
const NVME_FAMILIES = new Set(['g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2']);
const FAMILY = /^ml\.([a-z]+)(\d+)([a-z-]*)\./;

export function hasInstanceStorage(instanceType: string): boolean {
  const m = FAMILY.exec(instanceType);
  if (!m) return false;
  const [, series, generation, attributes] = m;
  return attributes.includes('d') || NVME_FAMILIES.has(`${series}${generation}${attributes}`);
}
