/** An IPv4 range as numbers: the first address and the prefix length. */
export interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR. */
export function parseCidr(value: unknown): Ipv4Range | undefined {
  if (typeof value !== 'string') return undefined;
  const m = CIDR.exec(value.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: address, prefix };
}

function size(r: Ipv4Range): number {
  return 2 ** (32 - r.prefix);
}

/** Whether the address has no bits set beyond the prefix (`10.0.0.0/16`, not `10.0.1.0/16`). */
export function isAligned(r: Ipv4Range): boolean {
  return r.base % size(r) === 0;
}

/** The range's network address as text, e.g. `10.0.0.0/16` for `10.0.1.0/16`. */
export function alignedText(r: Ipv4Range): string {
  const base = r.base - (r.base % size(r));
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${r.prefix}`;
}

/** Whether two ranges share any address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  const aStart = a.base - (a.base % size(a));
  const bStart = b.base - (b.base % size(b));
  return aStart < bStart + size(b) && bStart < aStart + size(a);
}
