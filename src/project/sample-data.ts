/**
 * A deterministic, realistic churn table for new projects (`data/sample.csv`): the same seed gives
 * the same bytes, so the build's gate, the training smoke test and the baseline profile are stable.
 * The label follows a logistic model of the features plus noise, so a model can learn it (AUC
 * around 0.8) without being trivial.
 */

// The PRNG below is integer arithmetic by nature.
/* eslint-disable no-bitwise */

const CONTRACTS = ['month-to-month', 'one-year', 'two-year'] as const;
const PAYMENTS = ['card', 'bank-transfer', 'electronic-check', 'mailed-check'] as const;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, values: readonly T[], weights: readonly number[]): T {
  let r = rand() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < values.length; i++) {
    r -= weights[i];
    if (r < 0) return values[i];
  }
  return values[values.length - 1];
}

function normal(rand: () => number): number {
  // Box-Muller; 1 - rand() keeps the log argument above zero.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface SampleDataOptions {
  /** Rows to write. @default 2000 */
  readonly rows?: number;
  /** PRNG seed. @default 20240601 */
  readonly seed?: number;
}

/** The churn sample as CSV text (header + rows, `\n` line ends). */
export function churnSampleCsv(options: SampleDataOptions = {}): string {
  const rows = options.rows ?? 2000;
  const rand = prng(options.seed ?? 20240601);
  const start = Date.UTC(2019, 0, 1);
  const lines = ['customer_id,signup_date,age,tenure_months,monthly_charges,total_charges,contract,payment_method,support_calls,is_senior,churned'];
  for (let i = 0; i < rows; i++) {
    const tenure = Math.min(120, Math.floor(-Math.log(1 - rand()) * 24));
    const contract = pick(rand, CONTRACTS, [0.55, 0.25, 0.2]);
    const age = Math.min(90, Math.max(18, Math.round(44 + normal(rand) * 14)));
    const isSenior = age >= 65;
    const monthly = Math.round(Math.min(999, Math.max(15, 65 + normal(rand) * 28 + (contract === 'two-year' ? -10 : 0))) * 100) / 100;
    const total = tenure === 0 ? '' : (Math.round(monthly * tenure * (0.92 + rand() * 0.16) * 100) / 100).toFixed(2);
    const payment = rand() < 0.01 ? '' : pick(rand, PAYMENTS, [0.35, 0.25, 0.3, 0.1]);
    const calls = Math.min(50, Math.floor(-Math.log(1 - rand()) * 1.8));
    const logit = -1.1
      + (contract === 'month-to-month' ? 1.3 : contract === 'two-year' ? -1.2 : 0)
      - 0.035 * tenure
      + 0.012 * (monthly - 65)
      + 0.35 * calls
      + (isSenior ? 0.4 : 0)
      + (payment === 'electronic-check' ? 0.5 : 0)
      + normal(rand) * 0.6;
    const churned = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const signup = new Date(start + Math.floor(rand() * 5 * 365) * 86_400_000).toISOString().slice(0, 10);
    lines.push([1000 + i, signup, age, tenure, monthly.toFixed(2), total, contract, payment, calls, isSenior, churned].join(','));
  }
  return lines.join('\n') + '\n';
}
