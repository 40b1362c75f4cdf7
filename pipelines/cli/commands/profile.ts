import { InputError, checkContract, openSource, profileSource } from '../../engine';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';
import { DATASET_FLAGS, Environment, bytesPerThread, contractFlag, formatFlag, threadsFlag } from './gate-options';

const USAGE = `Usage: aidlc profile --contract FILE --data FILE|s3://BUCKET/KEY --out FILE [--format FORMAT]

Profiles a dataset (counts, nulls, min/max/mean, quantile bins, category frequencies, distinct
estimates, duplicates) into the JSON baseline that "aidlc gate --baseline" and the drift monitor
score new data against.

Options:
  --contract FILE     the data contract (data/contract.json)
  --data LOCATION     a CSV, JSON Lines or Parquet file (optionally .gz), or s3://bucket/key
  --out FILE          where to write the profile
  --format FORMAT     csv, jsonl or parquet (default: from the file name, else the contract)
  --threads N         most threads for a local CSV file, one per 64 MiB of it (default: the
                      CPUs, at most 4; $AIDLC_GATE_BYTES_PER_THREAD sets the 64 MiB)

Exit codes: 0 written, 1 written but the data violates the contract, 2 unusable input or usage.`;

/** `aidlc profile`. */
export function createProfileCommand(io: CliIo = PROCESS_IO, env: Environment = process.env): CliCommand {
  return {
    name: 'profile',
    summary: 'Profile a dataset into a drift baseline (profile.json)',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { ...DATASET_FLAGS, out: 'string' });
      const contract = contractFlag(flags);
      const data = flags.required('data');
      const out = flags.required('out');
      const format = formatFlag(flags);
      let result;
      try {
        result = await profileSource(contract, openSource(data), { format, threads: threadsFlag(flags), bytesPerThread: bytesPerThread(env) });
      } catch (e) {
        if (e instanceof InputError) throw new UsageError({ path: '--data', value: data, message: `cannot be read (${e.message})`, fix: 'give a CSV, JSON Lines or Parquet file, or an s3:// URI, that the contract describes' });
        throw e;
      }
      io.writeText(out, JSON.stringify(result.profile, null, 2) + '\n');
      const violations = checkContract(contract, result);
      io.out(`profile of ${data}: ${result.profile.rows.toLocaleString('en-US')} rows, ${Object.keys(result.profile.columns).length} columns -> ${out}`);
      if (violations.length === 0) return EXIT.OK;
      io.err(`aidlc profile: the data violates the contract, so the profile is a questionable baseline:\n${violations.map((v) => `  ${v.id}: ${v.message}`).join('\n')}`);
      return EXIT.VERDICT;
    },
  };
}

export const profileCommand = createProfileCommand();
