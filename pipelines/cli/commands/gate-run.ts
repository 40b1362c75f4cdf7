// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DATASET_MANIFEST_VARIABLES } from '../../../src/core/names/delivery-names';
import { Profile, parseContract, parseProfile } from '../../engine';
import { DatasetRunResult, gateDataset } from '../../gate/dataset-run';
import { parseS3Uri, sha256Hex } from '../../gate/manifest';
import { sdkRetryingClientSettings } from '../../shared/clients';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

/** Variables `--env-file` writes, which the delivery pipeline's Gate stage exports to Train. */
export const GATE_RUN_VARIABLES = {
  manifestUri: DATASET_MANIFEST_VARIABLES.uri,
  manifestSha256: DATASET_MANIFEST_VARIABLES.sha256,
} as const;

const USAGE = `Usage: aidlc gate run --contract FILE --dataset s3://BUCKET/PREFIX/ --validated s3://BUCKET/PREFIX/
                      --quarantine s3://BUCKET/PREFIX/ --run ID [options]

Gates a whole dataset for one run (the Gate stage of the delivery pipeline runs this): every
data object under the dataset prefix (or the one object named) is checked against the contract
and copied, as the version that was checked, into runs/ID/ of the validated prefix (pass) or of
the quarantine prefix (fail); the passed objects are then checked together (row count, keys
across files, drift). Writes runs/ID/manifest.json (the dataset manifest: each passed object's
version, size and SHA-256; training reads exactly these), gate-report.json and
baseline-profile.json beside it. Uploaded objects are only read, never deleted.

  --contract FILE        the data contract (data/contract.json)
  --dataset URI          s3://bucket/prefix/ (every object below it) or s3://bucket/key
  --validated URI        s3://bucket/prefix/ of this model's validated data
  --quarantine URI       s3://bucket/prefix/ of this model's quarantined data
  --run ID               unique id of the run (the pipeline execution id)
  --baseline LOCATION    a profile (file or s3://) to score drift against
  --baseline-out URI     also write the passed data's profile here (s3://bucket/key), on pass
  --env-file FILE        write ${GATE_RUN_VARIABLES.manifestUri}=... and ${GATE_RUN_VARIABLES.manifestSha256}=... here
  --summary FILE         append a Markdown summary here
  --json                 print the run's report as JSON

Exit codes: 0 every object passed; 1 an object was quarantined or the dataset fails as a whole
(the manifest still lists what passed); 2 bad usage or unreadable input.`;

/** `aidlc gate run`. */
export function createGateRunCommand(
  io: CliIo = PROCESS_IO, clientFor: () => S3Client = () => new S3Client(sdkRetryingClientSettings()),
): CliCommand {
  return {
    name: 'gate run',
    summary: 'Gate a whole dataset for one run and write its dataset manifest',
    usage: USAGE,
    run: async (argv) => {
      const f = Flags.parse(argv, {
        'contract': 'string',
        'dataset': 'string',
        'validated': 'string',
        'quarantine': 'string',
        'run': 'string',
        'baseline': 'string',
        'baseline-out': 'string',
        'env-file': 'string',
        'summary': 'string',
        'json': 'boolean',
      });
      const contractFile = f.required('contract');
      let contractDocument: unknown;
      try {
        contractDocument = JSON.parse(io.readText(contractFile));
      } catch (e) {
        throw new UsageError({ path: '--contract', value: contractFile, message: `cannot be read as JSON (${(e as Error).message})`, fix: 'give the data contract, data/contract.json' });
      }
      const contract = usage(() => parseContract(contractDocument, contractFile));
      const dataset = s3Flag(f, 'dataset');
      const validated = prefixFlag(f, 'validated');
      const quarantine = prefixFlag(f, 'quarantine');
      const s3 = clientFor();
      const baselineLocation = f.string('baseline');
      let driftBaseline: { profile: Profile; file: { uri: string; sha256: string } } | undefined;
      if (baselineLocation) {
        const text = await readLocation(io, s3, baselineLocation, '--baseline');
        driftBaseline = {
          profile: usage(() => parseProfile(JSON.parse(text), baselineLocation)),
          file: { uri: baselineLocation, sha256: sha256Hex(text) },
        };
      }
      const result = await gateDataset(s3, {
        source: dataset,
        run: f.required('run'),
        validatedBucket: validated.bucket,
        validatedPrefix: validated.key,
        quarantineBucket: quarantine.bucket,
        quarantinePrefix: quarantine.key,
        contract,
        contractDocument,
        ...(driftBaseline ? { driftBaseline } : {}),
      });
      const baselineOut = f.string('baseline-out');
      if (baselineOut && result.verdict === 'pass' && result.trainingBaseline) {
        const { bucket, key } = parseS3Uri(s3Flag(f, 'baseline-out', baselineOut));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(result.trainingBaseline.profile, null, 2) + '\n', ContentType: 'application/json' }));
      }
      const envFile = f.string('env-file');
      if (envFile) {
        io.writeText(envFile, `${GATE_RUN_VARIABLES.manifestUri}=${result.manifestUri}\n${GATE_RUN_VARIABLES.manifestSha256}=${result.manifestSha256}\n`);
      }
      const summary = f.string('summary');
      if (summary) io.append(summary, markdownSummary(result) + '\n');
      io.out(f.boolean('json') ? JSON.stringify(result.report) : textSummary(result));
      if (result.verdict === 'error') return EXIT.USAGE;
      return result.verdict === 'pass' ? EXIT.OK : EXIT.VERDICT;
    },
  };
}

export const gateRunCommand = createGateRunCommand();

/** A few lines for the build log. */
export function textSummary(r: DatasetRunResult): string {
  const files = r.report.files;
  const count = (v: string) => files.filter((x) => x.verdict === v).length;
  const lines = [
    `gate run ${r.verdict}: ${r.report.dataset} run ${r.report.run}, ${count('pass')} passed, ${count('fail') + count('error')} quarantined, ${count('skipped')} skipped; ${r.manifest.rows.toLocaleString('en-US')} rows in the manifest`,
    `  manifest ${r.manifestUri} (sha256 ${r.manifestSha256})`,
    `  report   ${r.reportUri}`,
    ...r.report.reasons.map((reason) => `  - ${reason}`),
  ];
  return lines.join('\n');
}

function markdownSummary(r: DatasetRunResult): string {
  const rows = r.report.files.map((x) => `| \`${x.source}\` | ${x.verdict} | ${x.rows ?? ''} | ${(x.violations ?? []).join(', ')} |`);
  return [
    `### Gate run ${r.report.run}: ${r.verdict}`,
    '',
    '| object | verdict | rows | violations |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Manifest \`${r.manifestUri}\` (sha256 \`${r.manifestSha256}\`), ${r.manifest.objects.length} object(s), ${r.manifest.rows} rows.`,
    ...r.report.reasons.map((reason) => `- ${reason}`),
  ].join('\n');
}

async function readLocation(io: CliIo, s3: S3Client, location: string, flag: string): Promise<string> {
  if (!location.startsWith('s3://')) {
    try {
      return io.readText(location);
    } catch (e) {
      throw new UsageError({ path: flag, value: location, message: `cannot be read (${(e as Error).message})`, fix: 'check the path and its permissions, or give an s3:// URI' });
    }
  }
  const { bucket, key } = parseS3Uri(location, flag);
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return r.Body!.transformToString('utf8');
}

/** An s3:// flag, checked; the URI as given. */
function s3Flag(f: Flags, name: string, v: string = f.required(name)): string {
  try {
    parseS3Uri(v);
  } catch {
    throw new UsageError({ path: `--${name}`, value: v, message: 'is not an s3:// URI', fix: `write --${name} s3://bucket/key` });
  }
  return v;
}

function prefixFlag(f: Flags, name: string): { bucket: string; key: string } {
  const v = s3Flag(f, name);
  const parsed = parseS3Uri(v);
  if (!parsed.key.endsWith('/')) throw new UsageError({ path: `--${name}`, value: v, message: 'is not a prefix: it must end in "/"', fix: `write --${name} s3://bucket/prefix/` });
  return parsed;
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
