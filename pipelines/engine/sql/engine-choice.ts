/**
 * Which engine checks a dataset: the streaming engine (one process: the CLI, CodeBuild or the
 * gate Lambda), Athena (SQL where the data lives), or the choice by size.
 *
 * AUTO uses Athena from `thresholdBytes` on. The default, 5 GiB, keeps the streaming engine well
 * inside the gate Lambda's 15 minutes: it checks 20-50 MB/s of CSV on one core of the development
 * VM (bench/README.md), so 5 GiB take 2-5 minutes if the Lambda reads S3 as fast, and its
 * duplicate and key sets take about 12 bytes per row, under 1 GB for the 60 million rows of
 * 5 GiB of typical CSV (the Lambda has 2 GB).
 */
export type GateEngineName = 'streaming' | 'athena' | 'auto';

export const GATE_ENGINES: readonly GateEngineName[] = ['streaming', 'athena', 'auto'];

/** Size from which AUTO uses Athena. */
export const DEFAULT_ATHENA_THRESHOLD_BYTES = 5 * 1024 ** 3;

/** The engine to run for a dataset of `sizeBytes` (unknown: the streaming engine). */
export function chooseEngine(engine: GateEngineName, sizeBytes: number | undefined, thresholdBytes = DEFAULT_ATHENA_THRESHOLD_BYTES): 'streaming' | 'athena' {
  if (engine !== 'auto') return engine;
  return sizeBytes !== undefined && sizeBytes >= thresholdBytes ? 'athena' : 'streaming';
}
