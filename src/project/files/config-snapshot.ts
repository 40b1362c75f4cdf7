import { Component, JsonFile, Project } from 'projen';
import { ResolvedConfig } from '../../config';
import { contractFile } from '../../config/contract-file';

/** Where the resolved config is written in a generated repository. */
export const CONFIG_SNAPSHOT_PATH = 'pipelines/aidlc.json';
/** Where the data contract is written in a generated repository. */
export const CONTRACT_PATH = 'data/contract.json';

/**
 * The resolved config as JSON (`pipelines/aidlc.json`): what the CDK app, the `aidlc` CLI and
 * CodeBuild read, and what a pull request diff shows when `.projenrc.ts` changes. Also writes the
 * data contract derived from it (`data/contract.json`).
 */
export class ConfigSnapshot extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project);
    new JsonFile(project, CONFIG_SNAPSHOT_PATH, { obj: config, newline: true });
    new JsonFile(project, CONTRACT_PATH, { obj: contractFile(config), newline: true });
  }
}
