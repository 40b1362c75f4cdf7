import { ActionExecutionDetail, StageDeclaration } from '@aws-sdk/client-codepipeline';

/** The commit and the execution id the fixtures' pipeline executions carry. */
export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const EXECUTION = 'e0000000-0000-4000-8000-00000000abcd';

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

/** When the pipeline executions of these fixtures start. */
export const T0 = Date.parse('2026-11-20T10:00:00Z');

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
