import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { exitCodeOf, followToEnd, FOLLOW_FLAGS, loggedRetryPolicy, pollSettings, reportAwsFailure, TARGET_FLAGS } from './pipeline-follow';
import { AwsClientFactory, awsClientSettings } from '../../shared/clients';
import { consoleUrl } from '../aws/execution-view';
import { lookAt } from '../aws/follow';
import { PipelineApi } from '../aws/pipeline-api';
import { markdownSummary, progressLine } from '../aws/render';
import { pipelineTarget } from '../aws/target';
import { CliCommand, EXIT } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const USAGE = `Usage: aidlc pipeline status [--execution ID] [--wait] [--summary FILE] [options]

Shows an execution of the delivery pipeline stage by stage (default: the latest execution).

  --execution ID          the execution to show (default the latest)
  --wait                  follow it until it ends
  --summary FILE          append a Markdown summary (stages, durations, links)
  --poll-seconds N        with --wait: first interval between polls (default 10)
  --timeout-minutes N     with --wait: stop following after N minutes (default 0: no limit)
  --config FILE           resolved config (default pipelines/aidlc.json)
  --pipeline NAME         pipeline name (default <model>-delivery from the config)
  --region REGION         AWS region (default the config's)

Each call to CodePipeline has 5 s to connect and 30 s to answer, and is tried up to 6 times; a retry is
reported on stderr with the call's name. --timeout-minutes also ends a call under way.

Exit codes: 0 Succeeded or still running; 1 Failed, Stopped, Superseded or Cancelled; 2 bad usage, no
execution, or AWS refused or stayed unreachable.`;

/** `aidlc pipeline status`. */
export function createPipelineStatusCommand(io: CliIo = PROCESS_IO, clientSettings: AwsClientFactory = awsClientSettings): CliCommand {
  return {
    name: 'pipeline status',
    summary: 'Show the latest (or a given) execution of the delivery pipeline',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { execution: 'string', wait: 'boolean', summary: 'string', ...FOLLOW_FLAGS, ...TARGET_FLAGS });
      const poll = pollSettings(flags);
      const summaryFile = flags.string('summary');
      const target = pipelineTarget({ configFile: flags.string('config'), pipeline: flags.string('pipeline'), region: flags.string('region') }, io.readText);
      const api = new PipelineApi(new CodePipelineClient(clientSettings(target.region)), target.pipelineName, loggedRetryPolicy(io));
      try {
        let executionId = flags.string('execution');
        if (!executionId) {
          const [latest] = await api.recentExecutions(1);
          if (!latest?.pipelineExecutionId) {
            io.err(`${target.pipelineName} has no executions yet: start one with "aidlc pipeline start --revision SHA"`);
            return EXIT.USAGE;
          }
          executionId = latest.pipelineExecutionId;
        }
        if (flags.boolean('wait')) return await followToEnd(io, api, executionId, target.region, poll, summaryFile);
        const view = await lookAt(api, target.region, await api.stages(), executionId);
        io.out(progressLine(view, io.now()));
        io.out(markdownSummary(view, io.now()).trimEnd());
        io.out(consoleUrl(target.region, target.pipelineName, executionId));
        if (summaryFile) io.append(summaryFile, markdownSummary(view, io.now()));
        return exitCodeOf(view);
      } catch (e) {
        return reportAwsFailure(io, 'pipeline status', e);
      }
    },
  };
}

export const pipelineStatusCommand = createPipelineStatusCommand();
