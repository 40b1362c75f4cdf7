import { awscdk } from 'projen';
import { ResolvedConfig } from '../config';
import { CONFIG_SNAPSHOT_PATH, CONTRACT_PATH } from './files/config-snapshot';

/** The baseline profile of the sample, refreshed by `data:gate` and used by training and the monitor. */
export const BASELINE_PROFILE_PATH = 'data/baseline-profile.json';
/** Output of local runs; git-ignored. */
export const LOCAL_DIR = '.aidlc';

/**
 * The generated repository's own tasks: the data gate (before compile, so the build fails on bad
 * sample data before anything else) and a local training run.
 */
export function addAidlcTasks(project: awscdk.AwsCdkTypeScriptApp, config: ResolvedConfig): void {
  const sample = config.data.samplePath;
  const gate = project.addTask('data:gate', {
    description: `Check ${sample} against the data contract and refresh the baseline profile`,
    steps: [
      { exec: `aidlc gate --contract ${CONTRACT_PATH} --data ${sample} --report ${LOCAL_DIR}/gate/report.json --summary ${LOCAL_DIR}/gate/summary.md` },
      { exec: `aidlc profile --contract ${CONTRACT_PATH} --data ${sample} --out ${BASELINE_PROFILE_PATH}` },
    ],
  });
  project.preCompileTask.spawn(gate);

  // The awscdk app type has no compile step of its own (ts-node runs main.ts); tests and synth
  // transpile with swc, so types are checked here, once.
  project.compileTask.exec('tsc --noEmit');

  const train = project.addTask('train:local', {
    description: 'Gate, train and evaluate on the sample with the SageMaker scripts, without AWS',
  });
  train.spawn(gate);
  train.exec(`\${PYTHON:-python3} training/run_local.py --config ${CONFIG_SNAPSHOT_PATH} --data ${sample} --baseline ${BASELINE_PROFILE_PATH} --out ${LOCAL_DIR}/local`);
}
