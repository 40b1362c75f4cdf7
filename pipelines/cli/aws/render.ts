import { ActionView, consoleUrl, ExecutionView, failingAction, Progress, StageView } from './execution-view';

const MARK: Record<Progress, string> = {
  NotStarted: '·',
  InProgress: '…',
  WaitingForApproval: '⏸',
  Succeeded: '✓',
  Failed: '✗',
  Abandoned: '–',
};

const WORD: Record<Progress, string> = {
  NotStarted: 'Not started',
  InProgress: 'In progress',
  WaitingForApproval: 'Waiting for approval',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Abandoned: 'Not run',
};

/** `1h 02m`, `4m 05s`, `9s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

function stageDuration(stage: StageView, now: Date): string | undefined {
  if (!stage.startTime) return undefined;
  return duration((stage.endTime ?? now).getTime() - stage.startTime.getTime());
}

/**
 * One line of progress: `Source ✓ 4s | Gate … 1m 10s | Train · | ...`, prefixed with the
 * execution's status.
 */
export function progressLine(view: ExecutionView, now: Date): string {
  const stages = view.stages.map((stage) => {
    const took = stage.status === 'NotStarted' ? undefined : stageDuration(stage, now);
    const waiting = stage.status === 'WaitingForApproval' ? ' approval' : '';
    return `${stage.name} ${MARK[stage.status]}${waiting}${took ? ` ${took}` : ''}`;
  });
  return `[${view.status}] ${stages.join(' | ')}`;
}

/** What went wrong, in one sentence, or undefined for a success or a run still going. */
export function outcomeMessage(view: ExecutionView): string | undefined {
  if (view.status === 'Succeeded' || view.status === 'InProgress' || view.status === 'Stopping') return undefined;
  const failed = failingAction(view);
  const where = failed ? ` at ${failed.stage.name} / ${failed.action.name}` : '';
  const why = failed ? (failed.action.errorMessage ?? failed.action.summary) : undefined;
  const base = view.status === 'Superseded'
    ? `${view.pipelineName} execution ${view.executionId} was superseded by a newer execution${where}`
    : `${view.pipelineName} execution ${view.executionId} ${view.status.toLowerCase()}${where}`;
  const summary = !why && view.statusSummary ? `: ${view.statusSummary}` : '';
  return `${base}${why ? `: ${why}` : summary}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function time(d: Date | undefined): string {
  return d ? `${d.toISOString().slice(11, 19)} UTC` : '';
}

function details(stage: StageView): string {
  return stage.actions
    .filter((a) => a.status !== 'NotStarted')
    .map((a: ActionView) => {
      const name = a.url ? `[${cell(a.name)}](${a.url})` : cell(a.name);
      const note = a.status === 'Failed' ? (a.errorMessage ?? a.summary) : undefined;
      return note ? `${name}: ${cell(note)}` : name;
    })
    .join('<br>');
}

/** The Markdown summary of an execution: outcome, commit, a table of stages with durations and links. */
export function markdownSummary(view: ExecutionView, now: Date): string {
  const link = consoleUrl(view.region, view.pipelineName, view.executionId);
  const started = view.stages.map((s) => s.startTime).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
  const ended = view.stages.map((s) => s.endTime).filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
  const total = started ? duration(((view.status === 'InProgress' ? now : ended ?? now)).getTime() - started.getTime()) : undefined;
  const lines = [
    `### ${view.pipelineName}: ${view.status}`,
    '',
    [
      view.revision ? `Commit \`${view.revision.slice(0, 12)}\`` : undefined,
      `execution [\`${view.executionId}\`](${link})`,
      total ? `${total} in all` : undefined,
    ].filter(Boolean).join(' · '),
    '',
  ];
  const problem = outcomeMessage(view);
  if (problem) lines.push(`> **${cell(problem)}**`, '');
  lines.push('| Stage | Status | Started | Duration | Details |', '|---|---|---|---|---|');
  for (const stage of view.stages) {
    lines.push(`| ${cell(stage.name)} | ${MARK[stage.status]} ${WORD[stage.status]} | ${time(stage.startTime)} | ${stageDuration(stage, now) ?? ''} | ${details(stage)} |`);
  }
  return lines.join('\n') + '\n';
}
