import { Component, JsonPatch, YamlFile, github, javascript } from 'projen';
import { PINNED_ACTIONS } from './pinned-actions';
import { annotatePinnedVersions } from './version-comments';
import { InvalidValuesError } from '../core/problem';

/** One run at a time per pull request or ref; a newer pull-request push cancels the older run. */
export const DEFAULT_CONCURRENCY = {
  'group': '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}',
  'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
};

/** The project's GitHub component is off (`github: false`), and the generated workflows are GitHub's. */
export const GITHUB_OFF = {
  path: 'github', value: false, message: 'turns GitHub off, and the workflows aidlc-pipeline generates run on GitHub Actions', fix: 'remove github: false from the project options',
};

const HARDENED = new WeakSet<YamlFile>();

/**
 * Pins and tightens every workflow of the project, projen's own included:
 * - every action projen knows is resolved to a pinned commit (`project.github.actions`), and each
 *   pinned `uses:` line carries its version as a comment;
 * - the token gets no workflow-wide permission (`permissions: {}`) when every job declares its
 *   own, read-only contents otherwise;
 * - a workflow without `concurrency` gets one group per pull request or ref;
 * - the build job checks out without persisting the token (it never pushes; the self-mutation job does).
 */
export class WorkflowHardening extends Component {
  private readonly github: github.GitHub;

  constructor(project: javascript.NodeProject) {
    super(project, 'WorkflowHardening');
    const gh = project.github;
    if (!gh) {
      throw new InvalidValuesError('AidlcPipelineProject', [GITHUB_OFF]);
    }
    this.github = gh;
    for (const pin of PINNED_ACTIONS) {
      gh.actions.set(pin.action, `${pin.action}@${pin.sha}`);
    }
  }

  public preSynthesize(): void {
    for (const workflow of this.github.workflows) {
      const file = workflow.file;
      if (!file || HARDENED.has(file)) continue;
      HARDENED.add(file);
      annotatePinnedVersions(file);
      const jobs = Object.values(workflow.jobs);
      const everyJobScoped = jobs.every((job) => job.permissions !== undefined);
      // JSON patches, not overrides: projen's override merge drops empty objects such as `{}`.
      file.patch(
        ...(workflow.concurrency ? [] : [JsonPatch.add('/concurrency', DEFAULT_CONCURRENCY)]),
        JsonPatch.add('/permissions', everyJobScoped ? {} : { contents: 'read' }),
        // Re-adds `jobs` last, so the workflow-wide settings read first.
        JsonPatch.move('/jobs', '/jobs'),
      );
    }
    this.keepTokenOutOfBuildCheckout();
  }

  private keepTokenOutOfBuildCheckout(): void {
    const build = (this.project as javascript.NodeProject).buildWorkflow;
    const file = build?.workflow.file;
    if (!build || !file) return;
    const job = build.workflow.getJob('build');
    if (!job || 'uses' in job) return;
    const declared: unknown = job.steps;
    const steps = (typeof declared === 'function' ? declared() : declared) as github.workflows.JobStep[];
    const index = steps.findIndex((step) => step.uses?.startsWith('actions/checkout'));
    if (index >= 0) {
      file.addOverride(`jobs.build.steps.${index}.with.persist-credentials`, false);
    }
  }
}
