import * as fs from 'fs';
import * as path from 'path';
import { Severity, TrainingFramework } from '../../src/config';
import { PINNED_ACTIONS } from '../../src/github/pinned-actions';
import { SynthesizedRepo, synthRepo, synthToDisk } from '../support/generated-project';
import { removeTempDirs } from '../support/temp-dirs';
import { Job, stepsOf, stepsUsing } from '../support/workflow-steps';

const FULL_SHA = /^[a-z0-9-]+\/[a-z0-9._-]+(\/[a-z0-9._/-]+)?@[0-9a-f]{40}$/;
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.4.0';

let repo: SynthesizedRepo;
let withImage: SynthesizedRepo;

beforeAll(() => {
  repo = synthRepo();
  withImage = synthRepo({ training: { framework: TrainingFramework.CUSTOM, customImageUri: IMAGE } });
});

afterAll(removeTempDirs);

const runOf = (job: Job) => (job.steps as Array<{ run?: string }>).map((s) => s.run ?? '').join('\n');

describe('the set of workflows', () => {
  test('build, security, pipeline and upgrade; no Mergify, no pull-request-target lint', () => {
    expect(Object.keys(repo.workflows).sort()).toEqual(['build.yml', 'pipeline.yml', 'security.yml', 'upgrade.yml']);
    expect(repo.files['.mergify.yml']).toBeUndefined();
  });

  test('every workflow runs on Node 22', () => {
    for (const [file, workflow] of Object.entries(withImage.workflows)) {
      for (const { step } of stepsOf(workflow)) {
        if (typeof step.uses === 'string' && step.uses.startsWith('actions/setup-node@')) {
          expect({ file, node: step.with['node-version'] }).toEqual({ file, node: '22' });
        }
      }
    }
  });
});

describe('pins', () => {
  test.each(['build.yml', 'security.yml', 'pipeline.yml', 'upgrade.yml'])('%s: every uses: is a full commit SHA with its version', (file) => {
    const workflow = withImage.workflows[file];
    const uses = stepsOf(workflow).map(({ step }) => step.uses).filter((u): u is string => typeof u === 'string');
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(FULL_SHA);
    const lines = withImage.workflowText[file].split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines).toHaveLength(uses.length);
    for (const line of lines) {
      const [, ref, version] = /uses:\s+(\S+) # (v\d+\.\d+\.\d+)$/.exec(line) ?? [];
      expect({ line, version }).toEqual({ line, version: expect.stringMatching(/^v\d/) });
      const pin = PINNED_ACTIONS.find((p) => `${p.action}@${p.sha}` === ref);
      expect(pin?.version).toBe(version);
    }
  });

  test('no trivy GitHub Action anywhere: trivy runs only through scripts/trivy.sh', () => {
    for (const text of Object.values(withImage.workflowText)) {
      expect(text).not.toMatch(/aquasecurity\/(trivy-action|setup-trivy)/);
    }
  });
});

describe('least privilege', () => {
  test('no workflow-wide permission; every job declares its own', () => {
    for (const [file, workflow] of Object.entries(withImage.workflows)) {
      expect({ file, permissions: workflow.permissions }).toEqual({ file, permissions: {} });
      for (const [jobId, job] of Object.entries<Job>(workflow.jobs)) {
        expect({ file, jobId, declared: typeof job.permissions }).toEqual({ file, jobId, declared: 'object' });
      }
    }
  });

  test('the exact grants of every job', () => {
    const grants = (file: string) => Object.fromEntries(
      Object.entries<Job>(withImage.workflows[file].jobs).map(([id, job]) => [id, job.permissions]));
    expect(grants('build.yml')).toEqual({
      'build': { contents: 'read' },
      'self-mutation': { contents: 'write' },
    });
    expect(grants('security.yml')).toEqual({
      'trivy-fs': { 'contents': 'read', 'security-events': 'write' },
      'trivy-config': { 'contents': 'read', 'security-events': 'write' },
      'trivy-image': { 'contents': 'read', 'security-events': 'write', 'id-token': 'write' },
    });
    expect(grants('pipeline.yml')).toEqual({
      scan: { 'contents': 'read', 'security-events': 'write' },
      gate: { 'contents': 'read', 'id-token': 'write' },
      deploy: { 'contents': 'read', 'id-token': 'write' },
      release: { 'contents': 'read', 'id-token': 'write' },
    });
    expect(grants('upgrade.yml')).toEqual({ upgrade: { contents: 'read' }, pr: { contents: 'read' } });
  });

  test('security-events: write exactly on the jobs that upload SARIF, id-token: write exactly on the jobs that assume a role', () => {
    for (const workflow of Object.values(withImage.workflows)) {
      for (const job of Object.values<Job>(workflow.jobs)) {
        const uploads = stepsUsing(job, 'github/codeql-action/upload-sarif').length > 0;
        const assumes = stepsUsing(job, 'aws-actions/configure-aws-credentials').length > 0;
        expect(job.permissions['security-events'] === 'write').toBe(uploads);
        expect(job.permissions['id-token'] === 'write').toBe(assumes);
      }
    }
  });

  test('checkouts keep the token out of .git/config, except where projen pushes', () => {
    for (const [file, workflow] of Object.entries(withImage.workflows)) {
      for (const { jobId, step } of stepsOf(workflow)) {
        if (!String(step.uses).startsWith('actions/checkout@')) continue;
        const pushes = (file === 'build.yml' && jobId === 'self-mutation') || file === 'upgrade.yml';
        if (!pushes) expect({ file, jobId, persist: step.with?.['persist-credentials'] }).toEqual({ file, jobId, persist: false });
      }
    }
  });
});

describe('concurrency', () => {
  test('every workflow has a concurrency group', () => {
    for (const workflow of Object.values(withImage.workflows)) {
      expect(workflow.concurrency.group).toEqual(expect.any(String));
    }
  });

  test('pull-request runs are superseded; a deployment is never cancelled half-way', () => {
    expect(repo.workflows['build.yml'].concurrency).toEqual({
      'group': '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
    expect(repo.workflows['security.yml'].concurrency['cancel-in-progress']).toBe(true);
    expect(repo.workflows['pipeline.yml'].concurrency).toEqual({ 'group': 'aidlc-pipeline-churn', 'cancel-in-progress': false });
  });
});

describe('build.yml', () => {
  const build = () => repo.workflows['build.yml'];

  test('pull requests and pushes to the chain branch run projen build with the self-mutation check', () => {
    expect(build().on).toEqual({ pull_request: {}, push: { branches: ['main'] }, workflow_dispatch: {} });
    expect(runOf(build().jobs.build)).toContain('npx projen build');
    expect(runOf(build().jobs.build)).toContain('git diff --staged --patch --exit-code');
    expect(build().jobs['self-mutation'].needs).toBe('build');
  });
});

describe('security.yml', () => {
  const security = () => repo.workflows['security.yml'];

  test('pull requests, pushes, weekly and by hand', () => {
    expect(security().on).toEqual({
      pull_request: {},
      push: { branches: ['main'] },
      schedule: [{ cron: '23 5 * * 1' }],
      workflow_dispatch: {},
    });
  });

  test('trivy fs and trivy config through the wrapper, config after synth', () => {
    const fsJob = security().jobs['trivy-fs'];
    expect(runOf(fsJob)).toContain('scripts/trivy.sh fs');
    const configSteps = security().jobs['trivy-config'].steps.map((s: { run?: string }) => s.run ?? '');
    const synth = configSteps.indexOf('npx projen synth:silent');
    const scan = configSteps.indexOf('scripts/trivy.sh config cdk.out');
    expect(synth).toBeGreaterThan(0);
    expect(scan).toBeGreaterThan(synth);
  });

  test('each scan uploads its SARIF under its own category, also when the scan failed, never from a fork', () => {
    const uploads = stepsOf(withImage.workflows['security.yml'])
      .filter(({ step }) => String(step.uses).startsWith('github/codeql-action/upload-sarif@'))
      .map(({ jobId, step }) => ({ jobId, file: step.with.sarif_file, category: step.with.category, if: step.if }));
    expect(uploads.map(({ jobId, file, category }) => ({ jobId, file, category }))).toEqual([
      { jobId: 'trivy-fs', file: 'trivy-results/trivy-fs.sarif', category: 'trivy-fs' },
      { jobId: 'trivy-config', file: 'trivy-results/trivy-config.sarif', category: 'trivy-config' },
      { jobId: 'trivy-image', file: 'trivy-results/trivy-image.sarif', category: 'trivy-image' },
    ]);
    for (const u of uploads) {
      expect(u.if).toContain('!cancelled()');
      expect(u.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    }
  });

  test('no image job without a custom training image', () => {
    expect(Object.keys(security().jobs)).toEqual(['trivy-fs', 'trivy-config']);
    expect(repo.workflowText['security.yml']).not.toContain('trivy.sh image');
  });

  test('with a custom image: trivy image on the branch, through the read-only role', () => {
    const image = withImage.workflows['security.yml'].jobs['trivy-image'];
    expect(image.if).toBe("github.ref == 'refs/heads/main'");
    const scan = image.steps.find((s: { run?: string }) => s.run?.includes('trivy.sh image'));
    expect(scan).toEqual(expect.objectContaining({ env: { IMAGE }, run: 'scripts/trivy.sh image "$IMAGE"' }));
    const [creds] = stepsUsing(image, 'aws-actions/configure-aws-credentials');
    expect(creds.with).toEqual(expect.objectContaining({ 'role-to-assume': '${{ vars.AIDLC_READ_ROLE_ARN }}', 'aws-region': 'us-east-1' }));
  });
});

describe('pipeline.yml', () => {
  const pipeline = () => repo.workflows['pipeline.yml'];

  test('pushes to the chain branch and by hand; scan → gate → deploy → release', () => {
    expect(pipeline().on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
    expect(Object.keys(pipeline().jobs)).toEqual(['scan', 'gate', 'deploy', 'release']);
    expect(pipeline().jobs.gate.needs).toBe('scan');
    expect(pipeline().jobs.deploy.needs).toEqual(['scan', 'gate']);
    expect(pipeline().jobs.release.needs).toBe('deploy');
    for (const id of ['scan', 'deploy', 'release']) {
      expect(pipeline().jobs[id].if).toBe("github.ref == 'refs/heads/main'");
    }
  });

  test('scan: trivy fs and config with their own categories, synth in between, the scanned cloud assembly kept', () => {
    const scan = pipeline().jobs.scan;
    const runs = scan.steps.map((s: { run?: string }) => s.run ?? '');
    expect(runs.indexOf('scripts/trivy.sh fs')).toBeLessThan(runs.indexOf('npx projen synth:silent'));
    expect(runs.indexOf('npx projen synth:silent')).toBeLessThan(runs.indexOf('scripts/trivy.sh config cdk.out'));
    const categories = stepsUsing(scan, 'github/codeql-action/upload-sarif').map((s) => s.with.category);
    expect(categories).toEqual(['pipeline-trivy-fs', 'pipeline-trivy-config']);
    const [keep] = stepsUsing(scan, 'actions/upload-artifact');
    expect(keep.with).toEqual(expect.objectContaining({ name: 'cdk-out', path: 'cdk.out' }));
  });

  test('code-scanning categories are distinct across both workflows', () => {
    const categories = ['security.yml', 'pipeline.yml'].flatMap((file) => stepsOf(withImage.workflows[file]))
      .filter(({ step }) => String(step.uses).startsWith('github/codeql-action/upload-sarif@'))
      .map(({ step }) => step.with.category);
    expect(new Set(categories).size).toBe(categories.length);
    expect(categories).toHaveLength(5);
  });

  test('gate: the dataset from AIDLC_DATASET_URI, the sample when unset, credentials only for S3', () => {
    const gate = pipeline().jobs.gate;
    expect(gate.env).toEqual({ DATASET_URI: '${{ vars.AIDLC_DATASET_URI }}' });
    const step = gate.steps.find((s: { run?: string }) => s.run?.includes('aidlc gate'));
    expect(step.env).toEqual({ SAMPLE: 'data/sample.csv' });
    expect(step.run).toContain('data=${DATASET_URI:-$SAMPLE}');
    expect(step.run).toContain('npx aidlc gate --contract data/contract.json --data "$data"');
    expect(step.run).toContain('--report gate-report.json --summary "$GITHUB_STEP_SUMMARY"');
    const [creds] = stepsUsing(gate, 'aws-actions/configure-aws-credentials');
    expect(creds.if).toBe("${{ env.DATASET_URI != '' }}");
    expect(creds.with['role-to-assume']).toBe('${{ vars.AIDLC_READ_ROLE_ARN }}');
  });

  test('deploy: the scanned cloud assembly, through the deploy role, in the first stage\'s environment', () => {
    const deploy = pipeline().jobs.deploy;
    expect(deploy.environment).toBe('staging');
    const [download] = stepsUsing(deploy, 'actions/download-artifact');
    expect(download.with).toEqual({ name: 'cdk-out', path: 'cdk.out' });
    const [creds] = stepsUsing(deploy, 'aws-actions/configure-aws-credentials');
    expect(creds.with).toEqual(expect.objectContaining({ 'role-to-assume': '${{ vars.AIDLC_DEPLOY_ROLE_ARN }}', 'aws-region': 'us-east-1' }));
    expect(runOf(deploy)).toContain('npx cdk deploy --app cdk.out --require-approval never --progress events churn-network churn-data churn-training churn-delivery');
  });

  test('release: CodePipeline on this commit, followed to the end, with the job summary', () => {
    const release = pipeline().jobs.release;
    expect(release.environment).toBe('staging');
    expect(release['timeout-minutes']).toBe(60);
    const [creds] = stepsUsing(release, 'aws-actions/configure-aws-credentials');
    expect(creds.with).toEqual(expect.objectContaining({ 'role-to-assume': '${{ vars.AIDLC_DEPLOY_ROLE_ARN }}', 'aws-region': 'us-east-1' }));
    expect(runOf(release)).toContain('npx aidlc pipeline start --revision ${{ github.sha }} --wait --until-approval --detach-minutes 50 --summary "$GITHUB_STEP_SUMMARY"');
  });

  test('region, environment and stacks follow the config', () => {
    const other = synthRepo({
      modelName: 'fraud',
      awsRegion: 'eu-west-1',
      deployment: { stages: [{ name: 'qa' }, { name: 'live' }] },
    });
    const jobs = other.workflows['pipeline.yml'].jobs;
    expect(jobs.deploy.environment).toBe('qa');
    expect(runOf(jobs.deploy)).toContain('fraud-data fraud-training fraud-delivery');
    expect(stepsUsing(jobs.deploy, 'aws-actions/configure-aws-credentials')[0].with['aws-region']).toBe('eu-west-1');
    expect(other.workflows['pipeline.yml'].concurrency.group).toBe('aidlc-pipeline-fraud');
  });
});

describe('scripts/trivy.sh and .trivyignore', () => {
  test('the wrapper is managed and carries the configured severity; .trivyignore is written once', () => {
    const critical = synthRepo({ security: { failOnSeverity: Severity.CRITICAL } });
    const script: string = critical.files['scripts/trivy.sh'];
    expect(script.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(script.split('\n')[1]).toMatch(/^# ~~ Generated by projen/);
    expect(script).toMatch(/^FAIL_ON_SEVERITY=CRITICAL$/m);
    expect(repo.files['scripts/trivy.sh']).toMatch(/^FAIL_ON_SEVERITY=HIGH$/m);
    const onDisk = synthToDisk();
    expect(() => fs.accessSync(path.join(onDisk, 'scripts/trivy.sh'), fs.constants.X_OK)).not.toThrow();
    expect(fs.readFileSync(path.join(onDisk, 'scripts/trivy.sh'), 'utf-8')).toBe(repo.files['scripts/trivy.sh']);
    expect(repo.files['.trivyignore']).toContain('exp:');
    expect(repo.files['.trivyignore']).not.toContain('Generated by projen');
    expect(repo.files['.gitignore']).toContain('/trivy-results/');
  });
});
