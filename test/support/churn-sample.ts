import * as fs from 'fs';
import * as path from 'path';
import { Contract, Profile, fileSource, parseContract, profileSource } from '../../pipelines/engine';
import { AidlcConfig } from '../../src/config';
import { contractFile } from '../../src/config/contract-file';

export const SAMPLE = path.join(__dirname, '..', 'fixtures', 'sample.csv');

/** The churn sample's contract, as the generated repository writes it. */
export function sampleContract(): Contract {
  return parseContract(contractFile(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' })));
}

/** The baseline profile of the churn sample, as `aidlc profile` makes it. */
export async function sampleProfile(): Promise<Profile> {
  return (await profileSource(sampleContract(), fileSource(SAMPLE))).profile;
}

/** The sample's rows as records of strings, read independently of the engine (the file has no quotes). */
export function sampleRows(): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}
