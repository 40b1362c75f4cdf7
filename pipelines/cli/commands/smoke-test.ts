import { API_FLAGS, limitsOf } from './invoke';
import { SMOKE_TEST_CREDENTIAL } from '../../../src/core/names/inference-api-names';
import { INSTANCES_PROPERTY, requestSchemaOf } from '../../../src/core/request-schema';
import { ApiClient, ApiResponse } from '../api/api-client';
import { AwsLookups, awsLookups, resolveApiTarget } from '../api/api-target';
import { postWithRetries, predictionsOf } from '../api/call';
import { explainFailure } from '../api/explain';
import { RequestCheck, formatProblem } from '../api/request-check';
import { readRows, toInstance } from '../api/rows';
import { SmokeCase, smokeCases } from '../api/smoke-cases';
import { requireConfig } from '../aws/target';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const USAGE = `Usage: aidlc smoke-test --stage NAME [options]

Checks a deployed stage's inference API end to end: rows of the sample must be scored (200), and
requests that break the request schema one rule at a time (a missing feature, an unknown column,
the target column, a value of the wrong type, out of range or not allowed, too many rows, no rows)
must be rejected with 400 before they reach the model. Calls with the smoke test's own API key.
The delivery pipeline runs it after each stage deploys; a failure stops the rollout there.

  --stage NAME        the deployment stage whose API to check
  --data FILE         rows to send (default the config's data.samplePath)
  --rows N            how many rows of it to send in the valid request (default 5, at most maxBatchSize)
  --summary FILE      append a Markdown table of the results
  --api-key VALUE     the API key (default: the smoke test's, read with apigateway:GET)
  --token VALUE       COGNITO: an access token (default: one for the smoke test's app client)
  --url URL           the invocations URL (default: the serving stack's output)
  --stack NAME        the serving stack (default <model>-serving-<stage>)
  --retries N         retries of a throttled request (default 3)
  --config FILE       resolved config (default pipelines/aidlc.json)

Exit codes: 0 every check passed; 1 a check failed; 2 bad usage, or the API could not be found or reached.`;

/** The outcome of one case. */
interface CaseResult {
  readonly check: SmokeCase;
  readonly status?: number;
  readonly passed: boolean;
  readonly detail: string;
}

function judge(check: SmokeCase, response: ApiResponse): CaseResult {
  const { status } = response;
  if (check.expectStatus === 200) {
    if (status !== 200) return { check, status, passed: false, detail: explainFailure(response) };
    const predictions = predictionsOf(response);
    if (predictions && check.rows !== undefined && predictions.length !== check.rows) {
      return { check, status, passed: false, detail: `${predictions.length} prediction(s) for ${check.rows} row(s)` };
    }
    return { check, status, passed: true, detail: predictions ? `${predictions.length} prediction(s)` : 'answered' };
  }
  if (status !== 400) {
    const why = status >= 200 && status < 300 ? 'the API let a request the schema forbids through to the model' : explainFailure(response);
    return { check, status, passed: false, detail: `expected 400, got ${status}: ${why}` };
  }
  if (check.mentions && !names(response.body, check.mentions)) {
    return { check, status, passed: false, detail: `the 400 answer does not name "${check.mentions}": ${response.body.slice(0, 200)}` };
  }
  return { check, status, passed: true, detail: 'rejected before the model' };
}

/** Whether a text names a field: the name, not as part of a longer word ("age" is not in "message"). */
function names(text: string, field: string): boolean {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}([^A-Za-z0-9_]|$)`).test(text);
}

function markdown(stage: string, url: string, results: CaseResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  return [
    `### Smoke test of ${stage}: ${passed} of ${results.length} passed`,
    '',
    `\`${url}\``,
    '',
    '| request | expected | got | result |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.check.name} | ${r.check.expectStatus} | ${r.status ?? '-'} | ${r.passed ? 'pass' : `**fail**: ${r.detail.replace(/\|/g, '\\|')}`} |`),
    '',
  ].join('\n');
}

/** `aidlc smoke-test`. */
export function createSmokeTestCommand(io: CliIo = PROCESS_IO, aws: () => AwsLookups = () => awsLookups()): CliCommand {
  return {
    name: 'smoke-test',
    summary: 'Check a deployed stage\'s inference API: sample rows scored, bad requests rejected with 400',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { ...API_FLAGS, data: 'string', rows: 'string', summary: 'string' });
      const stage = flags.required('stage');
      const config = requireConfig(flags.string('config'), io.readText);
      const api = config.serving.api;
      const data = flags.string('data') ?? config.data.samplePath;
      const wanted = Math.min(flags.number('rows', 5, 1), api.maxBatchSize);
      const { rows } = await readRows(data, '--data', wanted);
      if (rows.length === 0) throw new UsageError({ path: '--data', value: data, message: 'holds no rows', fix: 'give rows of the sample, e.g. --data data/sample.csv' });
      const valid = rows.map((r) => toInstance(r, config.data.contract));

      // The cases must be right about the schema before they can judge the API.
      const check = new RequestCheck(requestSchemaOf(config));
      const sampleProblems = check.problems({ [INSTANCES_PROPERTY]: valid });
      if (sampleProblems.length > 0) {
        throw new UsageError({
          path: '--data',
          value: data,
          message: `has row(s) among the first ${valid.length} that break the request schema (${sampleProblems.slice(0, 3).map(formatProblem).join('; ')})`,
          fix: 'give rows the API must accept, e.g. rows of the sample',
        });
      }
      const cases = smokeCases(config.data.contract, valid, api.maxBatchSize)
        .filter((c) => c.expectStatus === 200 || check.problems(c.payload).length > 0);

      const target = await resolveApiTarget({
        config,
        stage,
        consumer: SMOKE_TEST_CREDENTIAL,
        apiKey: flags.string('api-key'),
        token: flags.string('token'),
        url: flags.string('url'),
        stackName: flags.string('stack'),
      }, aws());
      const client = new ApiClient({ url: target.url, auth: target.auth, apiKey: target.apiKey, now: io.now });
      const retries = flags.number('retries', 3, 0);
      const results: CaseResult[] = [];
      for (const c of cases) {
        try {
          const response = await postWithRetries(client, c.payload, { retries, sleep: io.sleep });
          if (response.status === 429) {
            results.push({ check: c, status: 429, passed: false, detail: explainFailure(response, limitsOf(config)) });
          } else {
            results.push(judge(c, response));
          }
        } catch (e) {
          io.err(`aidlc smoke-test: cannot reach ${client.endpoint}: ${(e as Error).message}`);
          return EXIT.USAGE;
        }
        const r = results[results.length - 1];
        io.out(`${r.passed ? 'pass' : 'FAIL'}  ${String(r.status ?? '-').padEnd(3)}  ${c.name}${r.passed ? '' : `: ${r.detail}`}`);
      }
      const summary = flags.string('summary');
      if (summary) io.append(summary, markdown(stage, target.url, results));
      const failed = results.filter((r) => !r.passed);
      if (failed.length > 0) {
        io.err(`aidlc smoke-test: ${failed.length} of ${results.length} check(s) of ${stage} failed`);
        return EXIT.VERDICT;
      }
      io.out(`${stage}: ${results.length} checks passed against ${target.url}`);
      return EXIT.OK;
    },
  };
}

export const smokeTestCommand = createSmokeTestCommand();
