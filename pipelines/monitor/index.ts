/**
 * Baselines for SageMaker Model Monitor (the `MODEL_MONITOR` monitoring engine), exported from
 * the data engine's profile format.
 */
export type {
  CommonStatistics, ExportOptions, FeatureConstraints, InferredType, KllDistribution, ModelMonitorBaseline,
  MonitorConstraints, MonitorStatistics, NumericalFeatureStatistics, StringFeatureStatistics,
} from './model-monitor-baseline';
export { exportModelMonitorBaseline } from './model-monitor-baseline';
export type { SketchPoint } from './sketch-points';
export { kllSketch, sketchPoints } from './sketch-points';
