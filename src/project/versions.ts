/** Compares two `major.minor.patch` versions; pre-release tags are ignored. */
function compare(a: string, b: string): number {
  const pa = a.split('-')[0].split('.').map(Number);
  const pb = b.split('-')[0].split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The given version, raised to `minimum` when it is older or missing. */
export function atLeastVersion(given: string | undefined, minimum: string): string {
  if (!given || !/^\d+\.\d+\.\d+/.test(given)) return minimum;
  return compare(given, minimum) < 0 ? minimum : given;
}
