import { ResolvedTrainingCost } from './resolved';

/**
 * SageMaker training on-demand prices, USD per instance-hour, for the us-east-1 and us-west-2
 * price lists (the two share prices for these types). Source: the Amazon SageMaker pricing page,
 * "On-Demand Pricing / Training" tab, as published in 2024-2026; check it before budgeting.
 */
export const TRAINING_PRICES_USD_PER_HOUR: Record<string, Record<string, number>> = {
  'us-east-1': {
    'ml.m5.large': 0.115,
    'ml.m5.xlarge': 0.23,
    'ml.m5.2xlarge': 0.461,
    'ml.m5.4xlarge': 0.922,
    'ml.c5.xlarge': 0.204,
    'ml.c5.2xlarge': 0.408,
    'ml.c5.4xlarge': 0.816,
    'ml.g4dn.xlarge': 0.736,
    'ml.p3.2xlarge': 3.825,
  },
};
TRAINING_PRICES_USD_PER_HOUR['us-west-2'] = TRAINING_PRICES_USD_PER_HOUR['us-east-1'];

/**
 * Typical managed Spot saving used for the estimate. SageMaker quotes "up to 90%"; the saving of a
 * real job is reported as `BillableTimeInSeconds` against `TrainingTimeInSeconds`.
 */
export const TYPICAL_SPOT_SAVING = 0.7;

export const PRICE_SOURCE = 'Amazon SageMaker pricing page, on-demand training, us-east-1/us-west-2 (2026); Spot at a typical 70% saving';

/**
 * The cost of one training run that uses its whole max runtime, or undefined when the price
 * table does not know the instance type in the region.
 */
export function estimateTrainingCost(instanceType: string, region: string, instanceCount: number, maxRuntimeSeconds: number, useSpot: boolean): ResolvedTrainingCost | undefined {
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
