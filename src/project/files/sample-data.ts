import { Component, Project, SampleFile } from 'projen';
import { ResolvedConfig } from '../../config';
import { churnSampleCsv } from '../sample-data';

/**
 * `data/sample.csv`, written once: the churn sample the default contract describes. When the
 * contract is the user's own, the sample is theirs to provide, so nothing is written.
 */
export class SampleDataFile extends Component {
  constructor(project: Project, config: ResolvedConfig, usesSampleContract: boolean) {
    super(project);
    if (usesSampleContract) {
      new SampleFile(project, config.data.samplePath, { contents: churnSampleCsv() });
    }
  }
}
