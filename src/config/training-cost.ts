import { ResolvedTrainingCost } from './resolved';

/**
 * SageMaker training on-demand prices, USD per instance-hour, us-east-1.
 *
 * Source: the Amazon SageMaker pricing page, "On-Demand Pricing", Training, US East (N. Virginia),
 * as quoted 2024-2026. Checked 2026-11 against several independently published cost tables, which
 * agree on every figure here; the pricing page itself is rendered by script and was not read
 * directly, and GPU types whose quoted figures disagree (ml.g5.*) are left out. US West (Oregon)
 * charges the same for these types. Check the pricing page (or the AWS Price List API,
 * service code AmazonSageMaker) before budgeting.
 */
const US_EAST_1_TRAINING: Record<string, number> = {
  'ml.m5.large': 0.115,
  'ml.m5.xlarge': 0.23,
  'ml.m5.2xlarge': 0.461,
  'ml.m5.4xlarge': 0.922,
  'ml.m5.12xlarge': 2.765,
  'ml.m5.24xlarge': 5.53,
  'ml.c5.xlarge': 0.204,
  'ml.c5.2xlarge': 0.408,
  'ml.c5.4xlarge': 0.816,
  'ml.c5.9xlarge': 1.836,
  'ml.g4dn.xlarge': 0.736,
  'ml.g4dn.2xlarge': 0.94,
  'ml.g4dn.4xlarge': 1.505,
  'ml.p3.2xlarge': 3.825,
};

/** Training prices by region and instance type, USD per instance-hour. */
export const TRAINING_PRICES_USD_PER_HOUR: Record<string, Record<string, number>> = {
  'us-east-1': US_EAST_1_TRAINING,
  'us-west-2': US_EAST_1_TRAINING,
};

/**
 * Typical managed Spot saving used for the estimate. SageMaker quotes "up to 90%"; the saving of a
 * real job is reported as `BillableTimeInSeconds` against `TrainingTimeInSeconds`.
 */
export const TYPICAL_SPOT_SAVING = 0.7;

export const PRICE_SOURCE = 'Amazon SageMaker pricing page, on-demand training, us-east-1/us-west-2 (as quoted 2024-2026, checked 2026-11); Spot at a typical 70% saving';

/**
 * The cost of one training run that uses its whole max runtime, or undefined when the price
 * table does not know the instance type in the region.
 */
export function estimateTrainingCost(
  instanceType: string, region: string, instanceCount: number, maxRuntimeSeconds: number, useSpot: boolean,
): ResolvedTrainingCost | undefined {
  const price = TRAINING_PRICES_USD_PER_HOUR[region]?.[instanceType];
  if (price === undefined) return undefined;
  const onDemand = round(price * instanceCount * (maxRuntimeSeconds / 3600));
  return {
    onDemandUsdPerHour: price,
    onDemandUsdPerRun: onDemand,
    spotUsdPerRun: useSpot ? round(onDemand * (1 - TYPICAL_SPOT_SAVING)) : onDemand,
    source: PRICE_SOURCE,
  };
}

function round(usd: number): number {
  return Math.round(usd * 1000) / 1000;
}
