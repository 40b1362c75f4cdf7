import { github, javascript } from 'projen';
import { ResolvedConfig } from '../config';

/** Node.js major version every workflow of a generated repository runs on. */
export const WORKFLOW_NODE_VERSION = '22';

/**
 * The GitHub-related options a generated repository's project passes to
 * `awscdk.AwsCdkTypeScriptApp`: a subset of `AwsCdkTypeScriptAppOptions`, so it can be spread
 * under the user's own options.
 */
export interface AidlcGithubProjectOptions {
  /** GitHub integration on: the workflows are the first half of the chain. */
  readonly github: boolean;
  /** No Mergify; no pull-request title lint (a `pull_request_target` workflow holding a write token). */
  readonly githubOptions: github.GitHubOptions;
  /** Node.js version of projen's own workflows (build, upgrade). */
  readonly workflowNodeVersion: string;
  /** projen's build workflow on: compile, tests, `cdk synth` with the compliance packs. */
  readonly buildWorkflow: boolean;
  /** Pull requests and pushes to the chain's branch; self-mutation check; read-only build job. */
  readonly buildWorkflowOptions: javascript.BuildWorkflowOptions;
  /** projen's upgrade workflow, which keeps `package.json`, the lockfile and projen in step. */
  readonly depsUpgrade: boolean;
  /** Weekly, so dependency fixes land without a pull request every day. */
  readonly depsUpgradeOptions: javascript.UpgradeDependenciesOptions;
}

/**
 * The options of `githubProjectOptions`, as the project passes them to `super()`.
 *
 * projen's self-mutation and upgrade jobs push with the `PROJEN_GITHUB_TOKEN` secret (a token whose
 * pushes start workflows, unlike `GITHUB_TOKEN`): set it in the repository, or override
 * `githubOptions.projenCredentials`.
 */
export function githubProjectOptions(config: ResolvedConfig): AidlcGithubProjectOptions {
  return {
    github: true,
    githubOptions: {
      mergify: false,
      pullRequestLint: false,
    },
    workflowNodeVersion: WORKFLOW_NODE_VERSION,
    buildWorkflow: true,
    buildWorkflowOptions: {
      mutableBuild: true,
      workflowTriggers: {
        pullRequest: {},
        push: { branches: [config.github.branch] },
        workflowDispatch: {},
      },
      permissions: { contents: github.workflows.JobPermission.READ },
    },
    depsUpgrade: true,
    depsUpgradeOptions: {
      workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY },
    },
  };
}
