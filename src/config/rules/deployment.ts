import { Problem } from '../../core/problem';
import { checkMlInstanceType } from '../../core/sagemaker-rules';
import { DEFAULTS } from '../defaults';
import { TrafficRouting } from '../enums';
import { DeploymentOptions, StageOptions } from '../options';
import { checkEnum, checkNumber } from './checks';

const STAGE_NAME = /^[a-z][a-z0-9]{1,15}$/;

export function deploymentRules(d: DeploymentOptions | undefined): Problem[] {
  if (!d) return [];
  const problems: Problem[] = [];
  problems.push(...checkMlInstanceType('deployment.instanceType', d.instanceType));
  problems.push(...checkNumber('deployment.instanceCount', d.instanceCount, 1, 100, { integer: true }));
  problems.push(...checkEnum('deployment.trafficRouting', d.trafficRouting, Object.values(TrafficRouting), 'TrafficRouting'));
  problems.push(...checkNumber('deployment.canaryPercent', d.canaryPercent, 1, 50, {
    integer: true,
    fix: 'SageMaker shifts at most half of the fleet in a canary step: set 1 to 50',
  }));
  problems.push(...checkNumber('deployment.bakeMinutes', d.bakeMinutes, 0, 60, { integer: true, fix: 'SageMaker waits 0 to 3600 seconds after a shift: set 0 to 60 minutes' }));
  problems.push(...checkNumber('deployment.rollback5xxPercent', d.rollback5xxPercent, 0.01, 100));
  problems.push(...checkNumber('deployment.rollbackP99LatencyMs', d.rollbackP99LatencyMs, 1, 60000));

  if (d.stages !== undefined) {
    if (!Array.isArray(d.stages) || d.stages.length === 0) {
      problems.push({ path: 'deployment.stages', value: d.stages, message: 'must list at least one stage', fix: 'list stages in rollout order, e.g. [{ name: "staging" }, { name: "prod" }]' });
    } else {
      const seen = new Set<string>();
      d.stages.forEach((s, i) => {
        const path = `deployment.stages[${i}]`;
        if (typeof s.name !== 'string' || !STAGE_NAME.test(s.name)) {
          problems.push({ path: `${path}.name`, value: s.name, message: 'must be 2 to 16 lower-case letters and digits, starting with a letter', fix: 'use a name such as "staging" or "prod"' });
        } else if (seen.has(s.name)) {
          problems.push({ path: `${path}.name`, value: s.name, message: 'is used by an earlier stage', fix: 'give every stage a unique name' });
        }
        seen.add(s.name);
        problems.push(...checkNumber(`${path}.instanceCount`, s.instanceCount, 1, 100, { integer: true }));
      });
    }
  }

  // A canary (or linear) rollout shifts part of the fleet, so the fleet needs at least two instances.
  if ((d.trafficRouting ?? TrafficRouting.CANARY) !== TrafficRouting.ALL_AT_ONCE) {
    const stages = d.stages ?? [{ name: 'prod', canary: true }];
    stages.forEach((s, i) => {
      const canary = s.canary ?? i === stages.length - 1;
      const count = s.instanceCount ?? d.instanceCount ?? 2;
      if (canary && typeof count === 'number' && count < 2) {
        const path = s.instanceCount !== undefined && d.stages ? `deployment.stages[${i}].instanceCount` : 'deployment.instanceCount';
        problems.push({ path, value: count, message: `stage "${s.name}" rolls out as a canary, which needs a fleet of at least 2 instances`, fix: 'set at least 2 instances, or canary: false for that stage' });
      }
    });
  }

  problems.push(...linearRules(d));

  if (d.autoscaling) {
    const a = d.autoscaling;
    problems.push(...checkNumber('deployment.autoscaling.minCapacity', a.minCapacity, 1, 100, { integer: true }));
    problems.push(...checkNumber('deployment.autoscaling.maxCapacity', a.maxCapacity, 1, 100, { integer: true }));
    if (typeof a.minCapacity === 'number' && typeof a.maxCapacity === 'number' && a.maxCapacity < a.minCapacity) {
      problems.push({ path: 'deployment.autoscaling.maxCapacity', value: a.maxCapacity, message: `is below minCapacity (${a.minCapacity})`, fix: `set maxCapacity to at least ${a.minCapacity}` });
    }
    problems.push(...checkNumber('deployment.autoscaling.targetInvocationsPerInstance', a.targetInvocationsPerInstance, 1, 1_000_000, { integer: true }));
    problems.push(...autoscalingFleetRules(d));
  }
  return problems;
}

/**
 * SageMaker limits of a blue/green deployment (BlueGreenUpdatePolicy, TrafficRoutingConfig):
 * a linear step is 10 to 50% of the fleet, and the whole deployment (every bake, the wait before
 * the old fleet is terminated, and provisioning) must finish within 28,800 seconds.
 * The endpoint construct waits one bake after each traffic shift and one more before it
 * terminates the old fleet, and allows PROVISIONING_MINUTES for the new fleet to come up.
 */
export const DEPLOYMENT_LIMITS = {
  minLinearStepPercent: 10,
  maxExecutionMinutes: 28_800 / 60,
  provisioningMinutes: 30,
} as const;

/** Traffic shifts of a rollout: one for all at once, two for a canary, one per step when linear. */
export function trafficShifts(routing: TrafficRouting, percent: number): number {
  if (routing === TrafficRouting.LINEAR) return Math.ceil(100 / percent);
  return routing === TrafficRouting.CANARY ? 2 : 1;
}

function linearRules(d: DeploymentOptions): Problem[] {
  if (d.trafficRouting !== TrafficRouting.LINEAR) return [];
  const percent = d.canaryPercent ?? DEFAULTS.deployment.canaryPercent;
  const bake = d.bakeMinutes ?? DEFAULTS.deployment.bakeMinutes;
  if (typeof percent !== 'number' || typeof bake !== 'number') return [];
  const { minLinearStepPercent, maxExecutionMinutes, provisioningMinutes } = DEPLOYMENT_LIMITS;
  if (percent < minLinearStepPercent) {
    return [{
      path: 'deployment.canaryPercent',
      value: percent,
      message: `is the linear step size; SageMaker shifts ${minLinearStepPercent} to 50% of the fleet per linear step`,
      fix: `set canaryPercent to at least ${minLinearStepPercent} with TrafficRouting.LINEAR, or use TrafficRouting.CANARY`,
    }];
  }
  const steps = trafficShifts(TrafficRouting.LINEAR, percent);
  const total = (steps + 1) * bake + provisioningMinutes;
  if (total > maxExecutionMinutes) {
    const maxBake = Math.floor((maxExecutionMinutes - provisioningMinutes) / (steps + 1));
    return [{
      path: 'deployment.bakeMinutes',
      value: bake,
      message: `makes a linear rollout of ${steps} steps take about ${total} minutes (a bake after each step, one before the old fleet is removed, ${provisioningMinutes} for provisioning); SageMaker stops a deployment after ${maxExecutionMinutes} minutes`,
      fix: `set bakeMinutes to at most ${maxBake}, or a larger canaryPercent (fewer steps)`,
    }];
  }
  return [];
}

function autoscalingFleetRules(d: DeploymentOptions): Problem[] {
  const a = d.autoscaling!;
  if (typeof a.minCapacity !== 'number' || typeof a.maxCapacity !== 'number' || a.maxCapacity < a.minCapacity) return [];
  const problems: Problem[] = [];
  const stages = d.stages ?? DEFAULTS.deployment.stages.map((name) => ({ name } as StageOptions));
  const routing = d.trafficRouting ?? DEFAULTS.deployment.trafficRouting;
  stages.forEach((s, i) => {
    const count = s.instanceCount ?? d.instanceCount ?? DEFAULTS.deployment.instanceCount;
    const path = s.instanceCount !== undefined && d.stages ? `deployment.stages[${i}].instanceCount` : 'deployment.instanceCount';
    if (typeof count === 'number' && (count < a.minCapacity || count > a.maxCapacity)) {
      problems.push({
        path,
        value: count,
        message: `puts stage "${s.name}" outside autoscaling's ${a.minCapacity}..${a.maxCapacity} instances, so autoscaling resizes it right after every deployment`,
        fix: `set the instance count within ${a.minCapacity}..${a.maxCapacity}, or widen the autoscaling range`,
      });
    }
    const canary = s.canary ?? i === stages.length - 1;
    if (canary && routing !== TrafficRouting.ALL_AT_ONCE && a.minCapacity < 2) {
      problems.push({
        path: 'deployment.autoscaling.minCapacity',
        value: a.minCapacity,
        message: `lets the canary stage "${s.name}" scale in to 1 instance, too few to shift part of the fleet`,
        fix: 'set minCapacity to at least 2',
      });
    }
  });
  return problems;
}
