import { T0 } from './pipeline-executions';
import { CliIo } from '../../pipelines/cli/io';
import { AidlcConfig } from '../../src/config';

/** The resolved config a generated repository keeps in pipelines/aidlc.json. */
export const CONFIG_JSON = JSON.stringify(AidlcConfig.resolve({
  modelName: 'churn',
  githubRepository: 'acme/churn',
  awsRegion: 'eu-west-1',
  awsAccount: '123456789012',
}));

/** A fake clock, sleeps that advance it, and captured output. */
export class FakeIo implements CliIo {
  public readonly stdout: string[] = [];
  public readonly stderr: string[] = [];
  public readonly files = new Map<string, string>();
  public readonly sleeps: number[] = [];
  public clock = T0 + 3 * 3600_000;
  private ids = 0;

  constructor(public readonly texts: Record<string, string> = { 'pipelines/aidlc.json': CONFIG_JSON }) {}

  public out = (line: string) => { this.stdout.push(line); };
  public err = (line: string) => { this.stderr.push(line); };
  public append = (file: string, text: string) => { this.files.set(file, (this.files.get(file) ?? '') + text); };
  public writeText = (file: string, text: string) => { this.files.set(file, text); };
  public readText = (file: string) => {
    const text = this.texts[file];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file ${file}`), { code: 'ENOENT' });
    return text;
  };
  public now = () => new Date(this.clock);
  public sleep = async (ms: number) => { this.sleeps.push(ms); this.clock += ms; };
  /** Real time: the fake clock does not move while a call hangs. */
  public deadline = (ms: number) => AbortSignal.timeout(ms);
  public uuid = () => `token-${++this.ids}`;
}
