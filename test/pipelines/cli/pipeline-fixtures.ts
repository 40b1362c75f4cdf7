import { ActionExecutionDetail, StageDeclaration } from '@aws-sdk/client-codepipeline';
import { CliIo } from '../../../pipelines/cli/io';
import { AidlcConfig } from '../../../src/config';

export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const EXECUTION = 'e0000000-0000-4000-8000-00000000abcd';

/** The resolved config a generated repository keeps in pipelines/aidlc.json. */
export const CONFIG_JSON = JSON.stringify(AidlcConfig.resolve({
  modelName: 'churn',
  githubRepository: 'acme/churn',
  awsRegion: 'eu-west-1',
  awsAccount: '123456789012',
}));

/** The stages of the delivery pipeline as GetPipeline returns them. */
export const STAGES: StageDeclaration[] = [
  ['Source', [['GitHub', 'Source']]],
  ['Gate', [['DataGate', 'Build']]],
  ['Train', [['TrainAndRegister', 'Build']]],
  ['Approve', [['ApproveModel', 'Approval'], ['RecordApproval', 'Build']]],
  ['Deploy-staging', [['Deploy', 'Build']]],
  ['Deploy-prod', [['Promote', 'Approval'], ['Deploy', 'Build']]],
  ['Monitor', [['DeployMonitoring', 'Build']]],
].map(([name, actions]) => ({
  name: name as string,
  actions: (actions as string[][]).map(([actionName, category]) => ({
    name: actionName,
    actionTypeId: { category: category as 'Build', owner: 'AWS', provider: category === 'Source' ? 'CodeStarSourceConnection' : category === 'Approval' ? 'Manual' : 'CodeBuild', version: '1' },
  })),
}));

const T0 = Date.parse('2026-11-20T10:00:00Z');

/** An action execution of EXECUTION, `startMin`/`endMin` minutes after T0. */
export function action(stageName: string, actionName: string, status: 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned', startMin: number, endMin: number, extra: Partial<ActionExecutionDetail> = {}): ActionExecutionDetail {
  return {
    pipelineExecutionId: EXECUTION,
    stageName,
    actionName,
    status,
    startTime: new Date(T0 + startMin * 60_000),
    lastUpdateTime: new Date(T0 + endMin * 60_000),
    output: { executionResult: { externalExecutionUrl: `https://console.example/${stageName}/${actionName}` } },
    ...extra,
  };
}

/** Every action up to and including Monitor, succeeded. */
export function allSucceeded(): ActionExecutionDetail[] {
  return STAGES.flatMap((s, i) => (s.actions ?? []).map((a, j) => action(s.name!, a.name!, 'Succeeded', i * 10 + j, i * 10 + j + 5)));
}

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
