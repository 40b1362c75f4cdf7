import { requestSchemaOf, INSTANCES_PROPERTY } from '../../../src/core/request-schema';
import { ResolvedConfig } from '../../../src/core/resolved';
import { ApiClient } from '../api/api-client';
import { AwsLookups, awsLookups, resolveApiTarget } from '../api/api-target';
import { postWithRetries, predictionsOf } from '../api/call';
import { ApiLimits, explainFailure } from '../api/explain';
import { RequestCheck, formatProblem } from '../api/request-check';
import { readRows, toInstance } from '../api/rows';
import { requireConfig } from '../aws/target';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const USAGE = `Usage: aidlc invoke --stage NAME --file FILE [options]

Scores the rows of a file with a stage's inference API: IAM callers sign with SigV4 (the AWS
credentials of the environment), Cognito callers send an access token. Rows go in batches of
serving.api.maxBatchSize; each row is checked against the request schema first, so a bad value is
named by row and column before anything is sent. Predictions are printed one per line.

  --stage NAME        the deployment stage whose API to call
  --file FILE         rows to score: CSV with a header, JSON Lines, JSON ({"instances": [...]}) or
                      Parquet; the target column is dropped, empty cells are sent as null
  --consumer NAME     whose API key to use (default the first of serving.api.consumers)
  --api-key VALUE     the API key itself (default: read with apigateway:GET; or AIDLC_API_KEY)
  --token VALUE       COGNITO: an access token with the API's invoke scope (or AIDLC_API_TOKEN;
                      default: one for the smoke test's app client)
  --url URL           the invocations URL (default: the serving stack's InferenceApiUrl output)
  --stack NAME        the serving stack (default <model>-serving-<stage>)
  --out FILE          write the predictions here instead of stdout
  --retries N         retries of a throttled request (default 3)
  --no-check          send the rows without checking them first (to see the API's own answer)
  --config FILE       resolved config (default pipelines/aidlc.json)

Exit codes: 0 every row scored; 1 the API (or the check) rejected a request, throttling
outlasted the retries, or the model failed; 2 bad usage, or the API could not be found or
reached.`;

/** Settings shared by the commands that call the API. */
export const API_FLAGS = {
  'stage': 'string', 'consumer': 'string', 'api-key': 'string', 'token': 'string', 'url': 'string', 'stack': 'string', 'config': 'string', 'retries': 'string',
} as const;

/** The limits error messages quote. */
export function limitsOf(config: ResolvedConfig): ApiLimits {
  const a = config.serving.api;
  return { rateLimit: a.rateLimit, burstLimit: a.burstLimit, quotaLimit: a.quotaLimit, quotaPeriod: a.quotaPeriod, maxBatchSize: a.maxBatchSize };
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `aidlc invoke`. */
export function createInvokeCommand(
  io: CliIo = PROCESS_IO, aws: () => AwsLookups = () => awsLookups(), env: NodeJS.ProcessEnv = process.env,
): CliCommand {
  return {
    name: 'invoke',
    summary: 'Score the rows of a file with a stage\'s inference API (SigV4 or a Cognito token)',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { ...API_FLAGS, 'file': 'string', 'out': 'string', 'no-check': 'boolean' });
      const stage = flags.required('stage');
      const file = flags.required('file');
      const config = requireConfig(flags.string('config'), io.readText);
      const api = config.serving.api;
      const retries = flags.number('retries', 3, 0);
      const { rows } = await readRows(file, '--file');
      if (rows.length === 0) throw new UsageError({ path: '--file', value: file, message: 'holds no rows', fix: 'give a file with a row to score' });
      const instances = rows.map((r) => toInstance(r, config.data.contract));
      const groups = batches(instances, api.maxBatchSize);

      if (!flags.boolean('no-check')) {
        const check = new RequestCheck(requestSchemaOf(config));
        const problems = groups.flatMap((group, b) => check.problems({ [INSTANCES_PROPERTY]: group })
          .map((p) => ({ ...p, row: p.row !== undefined ? p.row + b * api.maxBatchSize : undefined })));
        if (problems.length > 0) {
          for (const p of problems.slice(0, 20)) io.err(`${file}: ${formatProblem(p)}`);
          if (problems.length > 20) io.err(`... and ${problems.length - 20} more`);
          io.err(`aidlc invoke: ${problems.length} problem(s) against the request schema; nothing was sent (--no-check sends anyway)`);
          return EXIT.VERDICT;
        }
      }

      const target = await resolveApiTarget({
        config,
        stage,
        consumer: flags.string('consumer') ?? api.consumers[0],
        apiKey: flags.string('api-key') ?? env.AIDLC_API_KEY,
        token: flags.string('token') ?? env.AIDLC_API_TOKEN,
        url: flags.string('url'),
        stackName: flags.string('stack'),
      }, aws());
      const client = new ApiClient({ url: target.url, auth: target.auth, apiKey: target.apiKey, now: io.now });
      const lines: string[] = [];
      for (const [b, group] of groups.entries()) {
        let response;
        try {
          response = await postWithRetries(client, { [INSTANCES_PROPERTY]: group }, {
            retries,
            sleep: io.sleep,
            onRetry: (attempt, ms) => io.err(`throttled; retry ${attempt} of ${retries} in ${Math.round(ms / 100) / 10} s`),
          });
        } catch (e) {
          io.err(`aidlc invoke: cannot reach ${client.endpoint}: ${(e as Error).message}`);
          return EXIT.USAGE;
        }
        const first = b * api.maxBatchSize + 1;
        if (response.status < 200 || response.status > 299) {
          io.err(`aidlc invoke: rows ${first}-${first + group.length - 1}: ${explainFailure(response, limitsOf(config))}`);
          if (lines.length > 0) writeLines(io, flags.string('out'), lines);
          return EXIT.VERDICT;
        }
        const predictions = predictionsOf(response);
        if (predictions) lines.push(...predictions.map((p) => JSON.stringify(p)));
        else lines.push(response.body.trimEnd());
      }
      writeLines(io, flags.string('out'), lines);
      io.err(`${instances.length} row(s) scored by ${target.url} in ${groups.length} request(s)`);
      return EXIT.OK;
    },
  };
}

function writeLines(io: CliIo, out: string | undefined, lines: string[]): void {
  if (out) io.writeText(out, lines.join('\n') + '\n');
  else for (const line of lines) io.out(line);
}

export const invokeCommand = createInvokeCommand();
