import { Flags } from '../flags';
import { retryLogger } from './pipeline-follow';
import { DELIVERY_OUTPUTS } from '../../../src/core/names/delivery-names';
import { GITHUB_VARIABLES, ResourceNames } from '../../../src/core/names/resource-names';
import { GITHUB_ATTEMPTS, githubRetryPolicy, octokit } from '../../shared/octokit';
import { describeError, RetriesExhausted, RetryPolicy } from '../../shared/retry';
import { DEFAULT_CONFIG_FILE, requireConfig } from '../aws/target';
import { CliCommand, EXIT, UsageError } from '../command';
import { GithubSetupError, RepositorySettings, Reviewer } from '../github/repository-settings';
import { DesiredSetup, planSetup } from '../github/setup-plan';
import { awsCliStackOutputs, StackOutputsReader } from '../github/stack-outputs';
import { CliIo, PROCESS_IO } from '../io';

/** Repository variable with the AWS region of the stacks. */
export const REGION_VARIABLE = 'AIDLC_AWS_REGION';

/** Jobs of the generated build and security workflows that protect the branch. */
export const DEFAULT_REQUIRED_CHECKS = ['build', 'trivy-fs', 'trivy-config'];

const USAGE = `Usage: aidlc github setup [--dry-run] [options]

Makes the GitHub repository ready for the chain, idempotently:
  - an environment per deployment stage, deployments from the chain's branch only; stages that
    require approval get required reviewers;
  - protection of the chain's branch requiring the build and security checks;
  - repository variables ${GITHUB_VARIABLES.readRoleArn} and ${GITHUB_VARIABLES.deployRoleArn} (from the delivery stack's
    outputs ${DELIVERY_OUTPUTS.readRoleArn} and ${DELIVERY_OUTPUTS.deployRoleArn}) and ${REGION_VARIABLE}.
Existing settings are kept and only what is missing is added; a second run changes nothing.

  --dry-run                 print the plan, change nothing
  --reviewer LOGIN|ORG/TEAM required reviewer of approval stages, repeatable (default the token's user)
  --check NAME              required status check, repeatable (default ${DEFAULT_REQUIRED_CHECKS.join(', ')}, and trivy-image
                            when the config has a custom training image)
  --dataset-uri S3_URI      also set ${GITHUB_VARIABLES.datasetUri}, the dataset the gate job checks
  --read-role-arn ARN       instead of the delivery stack's output
  --deploy-role-arn ARN     instead of the delivery stack's output
  --stack NAME              the delivery stack (default <model>-delivery)
  --config FILE             resolved config (default ${DEFAULT_CONFIG_FILE})
  --region REGION           AWS region of the stack (default the config's)
  --api-url URL             GitHub REST API (default $GITHUB_API_URL or https://api.github.com)

The GitHub token comes from GITHUB_TOKEN (or GH_TOKEN): a fine-grained token on the repository with
Administration, Environments and Variables read and write. Stack outputs are read with the AWS CLI.

Each GitHub request has 30 s to answer and is tried up to 5 times; a retry is reported on stderr.

Exit codes: 0 done (or planned); 2 bad usage, missing token or outputs, or GitHub refused a change.`;

/** What the setup command uses from outside. */
export interface GithubSetupDeps {
  readonly env: { readonly [name: string]: string | undefined };
  readonly stackOutputs: StackOutputsReader;
  readonly retry?: RetryPolicy;
  /** Longest time one GitHub request may take. @default 30 s */
  readonly timeoutMs?: number;
}

/** `aidlc github setup`. */
export function createGithubSetupCommand(
  io: CliIo = PROCESS_IO,
  deps: GithubSetupDeps = { env: process.env, stackOutputs: awsCliStackOutputs() },
): CliCommand {
  return {
    name: 'github setup',
    summary: 'Set up the GitHub repository: environments, branch protection, variables (--dry-run to see the plan)',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, {
        'dry-run': 'boolean',
        'reviewer': 'list',
        'check': 'list',
        'dataset-uri': 'string',
        'read-role-arn': 'string',
        'deploy-role-arn': 'string',
        'stack': 'string',
        'config': 'string',
        'region': 'string',
        'api-url': 'string',
      });
      const config = requireConfig(flags.string('config'), io.readText);
      const token = deps.env.GITHUB_TOKEN || deps.env.GH_TOKEN;
      if (!token) {
        throw new UsageError({
          path: 'GITHUB_TOKEN', message: 'is not set (nor GH_TOKEN)', fix: 'set it to a token with Administration, Environments and Variables read and write on the repository',
        });
      }
      const datasetUri = flags.string('dataset-uri');
      if (datasetUri !== undefined && !/^s3:\/\/[^/]+\/.+/.test(datasetUri)) {
        throw new UsageError({ path: '--dataset-uri', value: datasetUri, message: 'is not an s3:// URI of a dataset', fix: 'write --dataset-uri s3://bucket/key' });
      }
      const region = flags.string('region') ?? config.aws.region;
      const dryRun = flags.boolean('dry-run');

      try {
        const roles = await roleArns(flags, deps.stackOutputs, flags.string('stack') ?? new ResourceNames(config).stack('delivery'), region);
        const gh = new RepositorySettings(
          await octokit({ token, baseUrl: flags.string('api-url') ?? deps.env.GITHUB_API_URL, timeoutMs: deps.timeoutMs }),
          config.github.owner, config.github.name,
          deps.retry ?? githubRetryPolicy({ sleep: io.sleep, onRetry: retryLogger(io, GITHUB_ATTEMPTS) }),
        );
        await gh.checkAccess();
        const reviewers: Reviewer[] = flags.list('reviewer').length
          ? await Promise.all(flags.list('reviewer').map((r) => gh.reviewer(r)))
          : [await gh.authenticatedUser()];
        const checks = flags.list('check').length ? flags.list('check')
          : [...DEFAULT_REQUIRED_CHECKS, ...(config.training.customImageUri ? ['trivy-image'] : [])];
        const want: DesiredSetup = {
          branch: config.github.branch,
          stages: config.deployment.stages.map((s) => ({ name: s.name, requireApproval: s.requireApproval })),
          reviewers,
          requiredChecks: checks,
          variables: [
            { name: GITHUB_VARIABLES.readRoleArn, value: roles.read },
            { name: GITHUB_VARIABLES.deployRoleArn, value: roles.deploy },
            { name: REGION_VARIABLE, value: region },
            ...(datasetUri ? [{ name: GITHUB_VARIABLES.datasetUri, value: datasetUri }] : []),
          ],
        };

        const plan = await planSetup(gh, want);
        const pending = plan.filter((c) => c.apply);
        io.out(`${dryRun ? 'Plan' : 'Setting up'} ${config.github.repository}:`);
        if (dryRun) {
          for (const change of plan) io.out(`  ${change.mark} ${change.summary}`);
          io.out(pending.length ? `Dry run: ${pending.length} change(s) not made.` : 'Nothing to change.');
          return EXIT.OK;
        }
        for (const change of plan) {
          await change.apply?.();
          io.out(`  ${change.mark} ${change.summary}`);
        }
        io.out(pending.length ? `Done: ${pending.length} change(s).` : 'Nothing to change: the repository is set up.');
        return EXIT.OK;
      } catch (e) {
        if (e instanceof GithubSetupError || e instanceof RetriesExhausted || e instanceof MissingOutputs) {
          io.err(`aidlc github setup: ${e.message}`);
          return EXIT.USAGE;
        }
        throw e;
      }
    },
  };
}

/** The delivery stack lacks an output the setup needs. */
class MissingOutputs extends Error {}

async function roleArns(flags: Flags, read: StackOutputsReader, stack: string, region: string): Promise<{ read: string; deploy: string }> {
  const readArn = flags.string('read-role-arn');
  const deployArn = flags.string('deploy-role-arn');
  if (readArn && deployArn) return { read: readArn, deploy: deployArn };
  let outputs: Record<string, string>;
  try {
    outputs = await read(stack, region);
  } catch (e) {
    throw new MissingOutputs(`cannot read the outputs of stack ${stack} in ${region}: ${describeError(e)}. Deploy it first ("npx cdk deploy ${stack}"), or pass --read-role-arn and --deploy-role-arn.`);
  }
  const pick = (name: string) => {
    const value = outputs[name];
    if (!value) throw new MissingOutputs(`stack ${stack} in ${region} has no output ${name}: deploy the current delivery stack ("npx cdk deploy ${stack}")`);
    return value;
  };
  return { read: readArn ?? pick(DELIVERY_OUTPUTS.readRoleArn), deploy: deployArn ?? pick(DELIVERY_OUTPUTS.deployRoleArn) };
}

export const githubSetupCommand = createGithubSetupCommand();
