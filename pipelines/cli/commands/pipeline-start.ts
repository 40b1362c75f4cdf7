import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { Flags } from '../flags';
import { FOLLOW_FLAGS, followToEnd, loggedRetryPolicy, pollSettings, reportAwsFailure, TARGET_FLAGS } from './pipeline-follow';
import { PIPELINE_VARIABLES, SOURCE_ACTION_NAME } from '../../../src/core/names/delivery-names';
import { AwsClientFactory, awsClientSettings } from '../../shared/clients';
import { consoleUrl } from '../aws/execution-view';
import { PipelineApi } from '../aws/pipeline-api';
import { pipelineTarget } from '../aws/target';
import { CliCommand, EXIT, UsageError } from '../command';
import { CliIo, PROCESS_IO } from '../io';

const SHA = /^[0-9a-f]{40}$/;

const USAGE = `Usage: aidlc pipeline start --revision SHA [--wait] [--summary FILE] [options]

Starts the delivery pipeline (CodePipeline V2) on exactly one commit: StartPipelineExecution with
sourceRevisions, so the pipeline runs the commit that GitHub scanned.

  --revision SHA          full 40-character commit SHA (required)
  --wait                  follow the execution stage by stage until it ends; exit with its outcome
  --until-approval        with --wait: also stop (exit 0) when a stage waits for a person's approval
  --detach-minutes N      with --wait: after N minutes stop following and exit 0; the run goes on
  --summary FILE          append a Markdown summary (stages, durations, links), e.g. "$GITHUB_STEP_SUMMARY"
  --variable NAME=VALUE   pipeline variable for this run, repeatable (e.g. ${PIPELINE_VARIABLES.datasetUri}=s3://bucket/key)
  --source-action NAME    source action to pin (default ${SOURCE_ACTION_NAME})
  --poll-seconds N        first interval between polls, growing to 60 s while nothing changes (default 10)
  --timeout-minutes N     stop following after N minutes, exit 1 (default 0: no limit)
  --config FILE           resolved config to read the pipeline and region from (default pipelines/aidlc.json)
  --pipeline NAME         pipeline name (default <model>-delivery from the config)
  --region REGION         AWS region (default the config's)

Each call to CodePipeline has 5 s to connect and 30 s to answer, and is tried up to 6 times; a retry is
reported on stderr with the call's name. --timeout-minutes also ends a call under way.

Exit codes: 0 started (with --wait: Succeeded); 1 Failed, Stopped, Superseded, Cancelled or timed out
(the failing action and its message are printed); 2 bad usage, or AWS refused or stayed unreachable.`;

/** `aidlc pipeline start`. */
export function createPipelineStartCommand(io: CliIo = PROCESS_IO, clientSettings: AwsClientFactory = awsClientSettings): CliCommand {
  return {
    name: 'pipeline start',
    summary: 'Start the delivery pipeline on a commit (--wait: follow it to the end)',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, {
        'revision': 'string',
        'wait': 'boolean',
        'until-approval': 'boolean',
        'detach-minutes': 'string',
        'summary': 'string',
        'variable': 'list',
        'source-action': 'string',
        ...FOLLOW_FLAGS,
        ...TARGET_FLAGS,
      });
      const revision = flags.required('revision').toLowerCase();
      if (!SHA.test(revision)) {
        throw new UsageError({ path: '--revision', value: flags.string('revision'), message: 'is not a full 40-character commit SHA', fix: 'pass the whole SHA, e.g. --revision "$(git rev-parse HEAD)"' });
      }
      const variables = flags.pairs('variable');
      const detachMinutes = flags.string('detach-minutes');
      if (detachMinutes !== undefined && flags.string('timeout-minutes') !== undefined) {
        throw new UsageError({ path: '--detach-minutes', value: detachMinutes, message: 'and --timeout-minutes both end the follow', fix: 'pass one of them' });
      }
      const poll = detachMinutes === undefined ? pollSettings(flags) : { ...pollSettings(flags), timeoutMs: flags.number('detach-minutes', 0, 1) * 60_000 };
      const summaryFile = flags.string('summary');
      const target = pipelineTarget({ configFile: flags.string('config'), pipeline: flags.string('pipeline'), region: flags.string('region') }, io.readText);
      const api = new PipelineApi(new CodePipelineClient(clientSettings(target.region)), target.pipelineName, loggedRetryPolicy(io));

      try {
        const executionId = await api.start({
          sourceActionName: flags.string('source-action') ?? SOURCE_ACTION_NAME,
          revision,
          variables,
          clientRequestToken: io.uuid(),
        });
        const link = consoleUrl(target.region, target.pipelineName, executionId);
        io.out(`Started ${target.pipelineName} execution ${executionId} on ${revision}`);
        io.out(link);
        if (!flags.boolean('wait')) {
          if (summaryFile) io.append(summaryFile, `### ${target.pipelineName}: started\n\nCommit \`${revision.slice(0, 12)}\` · execution [\`${executionId}\`](${link})\n`);
          return EXIT.OK;
        }
        return await followToEnd(io, api, executionId, target.region, poll, summaryFile, {
          untilApproval: flags.boolean('until-approval'),
          detach: detachMinutes !== undefined,
        });
      } catch (e) {
        return reportAwsFailure(io, 'pipeline start', e);
      }
    },
  };
}

export const pipelineStartCommand = createPipelineStartCommand();
