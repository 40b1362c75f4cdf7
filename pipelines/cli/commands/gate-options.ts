import { availableParallelism } from 'node:os';
import { Contract, ContractError, ProfileFormatError, loadContract } from '../../engine';
import { DEFAULT_ATHENA_THRESHOLD_BYTES, GATE_ENGINES, GateEngineName } from '../../engine/sql/engine-choice';
import { UsageError } from '../command';
import { FlagSpec, Flags } from '../flags';

/** The flags `aidlc gate` and `aidlc profile` both take. */
export const DATASET_FLAGS: FlagSpec = { contract: 'string', data: 'string', format: 'string', threads: 'string' };

/** Environment variables of the data commands. */
export type Environment = { readonly [name: string]: string | undefined };

/** Runs `fn`, turning an unreadable contract or profile into a usage error (exit code 2). */
export function readable<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContractError || e instanceof ProfileFormatError) throw new UsageError(e.message);
    throw e;
  }
}

/** The contract `--contract` names. */
export function contractFlag(flags: Flags): Contract {
  return readable(() => loadContract(flags.required('contract')));
}

/** `--format`, checked (undefined: from the file name, else the contract). */
export function formatFlag(flags: Flags): 'csv' | 'jsonl' | 'parquet' | undefined {
  const v = flags.string('format');
  if (v === undefined || v === 'csv' || v === 'jsonl' || v === 'parquet') return v;
  throw new UsageError({ path: '--format', value: v, message: 'is not a format the gate reads', fix: 'use csv, jsonl or parquet' });
}

/** `--threads`, checked; by default the CPUs, at most 4. */
export function threadsFlag(flags: Flags): number {
  const v = flags.string('threads');
  if (v === undefined) return Math.max(1, Math.min(availableParallelism(), 4));
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError({ path: '--threads', value: v, message: 'must be a whole number from 1 to 64', fix: 'pass the most threads to use, e.g. --threads 4' });
  }
  return n;
}

/** Bytes of file per thread from $AIDLC_GATE_BYTES_PER_THREAD, checked (undefined: the engine's 64 MiB). */
export function bytesPerThread(env: Environment): number | undefined {
  const v = env.AIDLC_GATE_BYTES_PER_THREAD;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1024 * 1024) {
    throw new UsageError({
      path: 'AIDLC_GATE_BYTES_PER_THREAD', value: v, message: 'must be a whole number of bytes, at least 1048576 (1 MiB)', fix: 'unset it for 64 MiB, or set e.g. 33554432',
    });
  }
  return n;
}

/** A value from its flag, else from its environment variable, with the name it came by. */
function flagOrEnv(flags: Flags, flag: string, env: Environment, variable: string): { path: string; value: string } | undefined {
  const given = flags.string(flag);
  if (given !== undefined) return { path: `--${flag}`, value: given };
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : { path: variable, value: fromEnv };
}

/** `--engine` (or $AIDLC_GATE_ENGINE), checked; streaming by default. */
export function engineFlag(flags: Flags, env: Environment): GateEngineName {
  const v = flagOrEnv(flags, 'engine', env, 'AIDLC_GATE_ENGINE');
  if (v === undefined) return 'streaming';
  const engine = v.value.toLowerCase();
  if ((GATE_ENGINES as readonly string[]).includes(engine)) return engine as GateEngineName;
  throw new UsageError({ path: v.path, value: v.value, message: 'is not a gate engine', fix: 'use streaming, athena or auto' });
}

/** `--athena-threshold-gb` (or $AIDLC_GATE_ATHENA_THRESHOLD_GB) in bytes. */
export function athenaThresholdFlag(flags: Flags, env: Environment): number {
  const v = flagOrEnv(flags, 'athena-threshold-gb', env, 'AIDLC_GATE_ATHENA_THRESHOLD_GB');
  if (v === undefined) return DEFAULT_ATHENA_THRESHOLD_BYTES;
  const n = Number(v.value);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError({ path: v.path, value: v.value, message: 'must be a number of GiB, 0 or more', fix: 'give the size from which auto uses Athena, e.g. 5' });
  }
  return n * 1024 ** 3;
}
