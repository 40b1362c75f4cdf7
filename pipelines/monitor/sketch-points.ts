import type { SketchData } from '../engine';
// The bucket bounds of a profile sketch are defined by the engine's sketch encoding.
import { bucketLower } from '../engine/sketch';

/** A value standing for the values of one sketch bucket, and how many there are. */
export interface SketchPoint {
  readonly value: number;
  readonly count: number;
}

/**
 * The buckets of a profile sketch as points, in value order: the middle of each bucket, so a
 * point is within half a bucket (2^-(bits+1) of the magnitude) of every value it stands for. The
 * bucket of zero stands for zero; for whole numbers, a bucket no wider than 1 holds one integer,
 * its lower bound, which is the exact value.
 */
export function sketchPoints(sketch: SketchData, integral = false): SketchPoint[] {
  return sketch.buckets.map(([index, count]) => {
    const lower = bucketLower(index, sketch.bits);
    const upper = bucketLower(index + 1, sketch.bits);
    if (lower === 0 || !Number.isFinite(upper) || (integral && upper - lower <= 1)) return { value: lower, count };
    return { value: (lower + upper) / 2, count };
  });
}

/**
 * The points as the compactor levels of a KLL sketch, Model Monitor's distribution format: an
 * item at level h weighs 2^h, so each count is written in binary (a point appears at every level
 * whose bit is set in its count) and the sketch's weighted items reproduce the counts exactly.
 * Levels are sorted, the lowest first.
 */
export function kllSketch(points: SketchPoint[]): number[][] {
  const levels: number[][] = [];
  for (const { value, count } of points) {
    if (!Number.isInteger(count) || count < 0) throw new Error(`sketch counts must be whole numbers, got ${count}`);
    let n = count;
    for (let h = 0; n > 0; h++, n = Math.floor(n / 2)) {
      if (n % 2 === 1) (levels[h] ??= []).push(value);
    }
  }
  for (let h = 0; h < levels.length; h++) {
    levels[h] = (levels[h] ?? []).sort((a, b) => a - b);
  }
  return levels;
}
