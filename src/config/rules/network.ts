import { Problem } from '../../core/problem';
import { alignedText, isAligned, overlaps, parseCidr } from '../cidr';
import { NetworkMode } from '../enums';
import { S3_PREFIX_LISTS, prefixListCommand } from '../network-facts';
import { NetworkOptions } from '../options';
import { checkEnum, checkNumber, checkString } from './checks';

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8,17}$/;
export const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
const SERVICE_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const MIN_OPT_OUT_REASON = 20;

/** The fields each mode reads; any other mode rejects them, so a setting never silently does nothing. */
const MODE_FIELDS: Record<NetworkMode, Array<keyof NetworkOptions>> = {
  [NetworkMode.CREATE_VPC]: ['cidr', 'availabilityZoneCount', 'avoidCidrs', 's3PrefixListId', 'additionalEndpoints'],
  [NetworkMode.IMPORT_VPC]: ['vpcId', 'vpcCidr', 'subnetIds', 'availabilityZones', 'routeTableIds', 'createEndpoints', 'endpointCidrs', 's3EndpointId', 's3PrefixListId', 'additionalEndpoints'],
  [NetworkMode.NONE]: ['optOutReason'],
};

function required(path: string, value: unknown, what: string, example: string): Problem[] {
  return value === undefined ? [{ path, message: `is required with this network mode: ${what}`, fix: `set it, e.g. ${JSON.stringify(example)}` }] : [];
}

function checkCidr(path: string, value: unknown, minPrefix: number, maxPrefix: number): Problem[] {
  if (value === undefined) return [];
  const range = parseCidr(value);
  if (!range) return [{ path, value, message: 'is not an IPv4 CIDR range', fix: 'write it as a.b.c.d/n, e.g. "10.0.0.0/16"' }];
  if (range.prefix < minPrefix || range.prefix > maxPrefix) {
    return [{ path, value, message: `has a /${range.prefix} prefix; a VPC range takes /${minPrefix} to /${maxPrefix}`, fix: `use a /${minPrefix} to /${maxPrefix} range, e.g. "10.0.0.0/16"` }];
  }
  if (!isAligned(range)) return [{ path, value, message: 'has address bits set beyond its prefix', fix: `use ${JSON.stringify(alignedText(range))}` }];
  return [];
}

export function checkIdList(path: string, value: unknown, pattern: RegExp, what: string, example: string): Problem[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) return [{ path, value, message: `must be a non-empty list of ${what}s`, fix: `list them, e.g. [${JSON.stringify(example)}]` }];
  const problems: Problem[] = [];
  value.forEach((v, i) => {
    problems.push(...checkString(`${path}[${i}]`, v, pattern, `a ${what}`, example));
    if (value.indexOf(v) !== i) problems.push({ path: `${path}[${i}]`, value: v, message: 'is listed twice', fix: 'list each once' });
  });
  return problems;
}

function createRules(n: NetworkOptions): Problem[] {
  const problems: Problem[] = [
    ...checkCidr('network.cidr', n.cidr, 16, 24),
    ...checkNumber('network.availabilityZoneCount', n.availabilityZoneCount, 2, 6, {
      integer: true,
      fix: 'use 2 to 6 zones: with one, a zone outage stops training, monitoring and every endpoint instance in it',
    }),
  ];
  if (n.avoidCidrs !== undefined) {
    if (!Array.isArray(n.avoidCidrs)) {
      problems.push({ path: 'network.avoidCidrs', value: n.avoidCidrs, message: 'must be a list', fix: 'list IPv4 CIDR ranges, e.g. ["10.0.0.0/8"]' });
    } else {
      const vpc = parseCidr(n.cidr ?? '10.0.0.0/16');
      n.avoidCidrs.forEach((c, i) => {
        const range = parseCidr(c);
        if (!range) {
          problems.push({ path: `network.avoidCidrs[${i}]`, value: c, message: 'is not an IPv4 CIDR range', fix: 'write it as a.b.c.d/n, e.g. "192.168.0.0/16"' });
        } else if (vpc && overlaps(vpc, range)) {
          problems.push({
            path: 'network.cidr',
            value: n.cidr ?? '10.0.0.0/16',
            message: `overlaps network.avoidCidrs[${i}] (${c}); overlapping ranges cannot be routed to each other once the networks are connected`,
            fix: 'choose a VPC range outside every avoided range, e.g. from 10.64.0.0/10 or 172.16.0.0/12',
          });
        }
      });
    }
  }
  return problems;
}

function importRules(n: NetworkOptions, region: string): Problem[] {
  const problems: Problem[] = [
    ...required('network.vpcId', n.vpcId, 'the id of the existing VPC', 'vpc-0a1b2c3d4e5f67890'),
    ...checkString('network.vpcId', n.vpcId, VPC_ID, 'a VPC id (vpc- and 8 or 17 hex digits)', 'vpc-0a1b2c3d4e5f67890'),
    ...required('network.vpcCidr', n.vpcCidr, 'the IPv4 range of the existing VPC', '10.20.0.0/16'),
    ...checkCidr('network.vpcCidr', n.vpcCidr, 16, 28),
    ...required('network.subnetIds', n.subnetIds, 'the private subnets the workloads run in', 'subnet-0a1b2c3d4e5f67890'),
    ...checkIdList('network.subnetIds', n.subnetIds, SUBNET_ID, 'subnet id (subnet- and 8 or 17 hex digits)', 'subnet-0a1b2c3d4e5f67890'),
    ...required('network.availabilityZones', n.availabilityZones, 'the zone of each subnet, in order', `${region}a`),
  ];
  const zones = n.availabilityZones;
  if (zones !== undefined) {
    if (!Array.isArray(zones)) {
      problems.push({ path: 'network.availabilityZones', value: zones, message: 'must be a list', fix: `list the zone of each subnet, e.g. ["${region}a", "${region}b"]` });
    } else {
      zones.forEach((z, i) => {
        if (typeof z !== 'string' || !z.startsWith(region) || !/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(z)) {
          problems.push({ path: `network.availabilityZones[${i}]`, value: z, message: `is not an availability zone of ${region}`, fix: `use a zone name such as "${region}a"` });
        }
      });
      if (Array.isArray(n.subnetIds) && n.subnetIds.length !== zones.length) {
        problems.push({ path: 'network.availabilityZones', value: zones, message: `lists ${zones.length} zone(s) for ${n.subnetIds.length} subnet(s)`, fix: 'give the zone of each subnet in subnetIds, in the same order' });
      } else if (new Set(zones).size < 2) {
        problems.push({
          path: 'network.availabilityZones',
          value: zones,
          message: 'puts every subnet in one availability zone',
          fix: 'add a private subnet in a second zone: with one, a zone outage stops training, monitoring and every endpoint instance',
        });
      }
    }
  }
  const create = n.createEndpoints === true;
  if (n.createEndpoints !== undefined && typeof n.createEndpoints !== 'boolean') {
    problems.push({ path: 'network.createEndpoints', value: n.createEndpoints, message: 'must be true or false', fix: 'set true or false' });
  }
  if (create) {
    if (n.routeTableIds === undefined) {
      problems.push({ path: 'network.routeTableIds', message: 'is required with createEndpoints: the S3 gateway endpoint is added to the subnets\' route tables', fix: 'list the route tables of subnetIds, e.g. ["rtb-0a1b2c3d4e5f67890"]' });
    }
    for (const field of ['endpointCidrs', 's3EndpointId'] as const) {
      if (n[field] !== undefined) {
        problems.push({ path: `network.${field}`, value: n[field], message: 'describes endpoints the VPC already has, but createEndpoints is true', fix: `remove ${field}, or set createEndpoints to false` });
      }
    }
  } else {
    if (n.routeTableIds !== undefined) {
      problems.push({ path: 'network.routeTableIds', value: n.routeTableIds, message: 'is only used to add the S3 gateway endpoint, and createEndpoints is false', fix: 'remove routeTableIds, or set createEndpoints to true' });
    }
    if (n.additionalEndpoints !== undefined) {
      problems.push({ path: 'network.additionalEndpoints', value: n.additionalEndpoints, message: 'lists endpoints to create, and createEndpoints is false', fix: 'create them where the landing zone keeps its endpoints, or set createEndpoints to true' });
    }
  }
  problems.push(...checkIdList('network.routeTableIds', n.routeTableIds, ROUTE_TABLE_ID, 'route table id (rtb- and 8 or 17 hex digits)', 'rtb-0a1b2c3d4e5f67890'));
  if (n.endpointCidrs !== undefined) {
    if (!Array.isArray(n.endpointCidrs) || n.endpointCidrs.length === 0) {
      problems.push({ path: 'network.endpointCidrs', value: n.endpointCidrs, message: 'must be a non-empty list', fix: 'list the ranges of the interface endpoints, e.g. ["10.100.0.0/24"]' });
    } else {
      n.endpointCidrs.forEach((c, i) => problems.push(...checkCidr(`network.endpointCidrs[${i}]`, c, 8, 32)));
    }
  }
  problems.push(...checkString('network.s3EndpointId', n.s3EndpointId, VPC_ENDPOINT_ID, 'a VPC endpoint id (vpce- and 8 or 17 hex digits)', 'vpce-0a1b2c3d4e5f67890'));
  return problems;
}

function endpointRules(n: NetworkOptions, region: string, regionOk: boolean): Problem[] {
  const problems = checkString('network.s3PrefixListId', n.s3PrefixListId, PREFIX_LIST_ID, 'a prefix list id (pl- and 8 or 17 hex digits)', 'pl-63a5400a');
  if (regionOk && n.s3PrefixListId === undefined && S3_PREFIX_LISTS[region] === undefined) {
    problems.push({
      path: 'network.s3PrefixListId',
      message: `is needed in ${region}: the built-in table holds the S3 prefix list of ${Object.keys(S3_PREFIX_LISTS).join(', ')} only, and CloudFormation cannot look it up`,
      fix: `run ${prefixListCommand(region)} and set the id it prints`,
    });
  }
  const extra = n.additionalEndpoints;
  if (extra !== undefined) {
    if (!Array.isArray(extra)) {
      problems.push({ path: 'network.additionalEndpoints', value: extra, message: 'must be a list', fix: 'list service names, e.g. ["sts", "kms"]' });
    } else {
      extra.forEach((s, i) => {
        const path = `network.additionalEndpoints[${i}]`;
        if (typeof s !== 'string' || !SERVICE_NAME.test(s)) {
          problems.push({ path, value: s, message: 'is not a service name', fix: 'use the part after com.amazonaws.<region>., e.g. "sts" or "ecr.dkr"' });
        } else if (s === 's3') {
          problems.push({ path, value: s, message: 'is the S3 gateway endpoint, which is always created', fix: 'remove it' });
        } else if (extra.indexOf(s) !== i) {
          problems.push({ path, value: s, message: 'is listed twice', fix: 'list each once' });
        }
      });
    }
  }
  return problems;
}

/**
 * Every problem with the `network` section.
 * @param regionOk whether the region itself passed its rules (else its prefix list is not asked for)
 */
export function networkRules(n: NetworkOptions | undefined, region: string, regionOk = true): Problem[] {
  if (!n) return endpointRules({}, region, regionOk);
  const modeProblems = checkEnum('network.mode', n.mode, Object.values(NetworkMode), 'NetworkMode');
  if (modeProblems.length > 0) return modeProblems;
  const mode = n.mode ?? NetworkMode.CREATE_VPC;
  const problems: Problem[] = [];
  for (const [field, value] of Object.entries(n) as Array<[keyof NetworkOptions, unknown]>) {
    if (field === 'mode' || value === undefined || MODE_FIELDS[mode].includes(field)) continue;
    const modes = (Object.keys(MODE_FIELDS) as NetworkMode[]).filter((m) => MODE_FIELDS[m].includes(field));
    problems.push({
      path: `network.${field}`,
      value,
      message: `applies only to mode ${modes.map((m) => `NetworkMode.${m}`).join(' or ')}, and the mode is NetworkMode.${mode}`,
      fix: `remove ${field}, or set mode to ${modes.map((m) => `NetworkMode.${m}`).join(' or ')}`,
    });
  }
  if (mode === NetworkMode.NONE) {
    const reason = typeof n.optOutReason === 'string' ? n.optOutReason.trim() : '';
    if (reason.length < MIN_OPT_OUT_REASON) {
      problems.push({
        path: 'network.optOutReason',
        value: n.optOutReason,
        message: `must say why the workloads run without a VPC (at least ${MIN_OPT_OUT_REASON} characters); the compliance report prints it`,
        fix: 'write the reason, e.g. "sandbox account without regulated data; reviewed by the security team on 2026-11-02"',
      });
    }
    return problems;
  }
  if (mode === NetworkMode.CREATE_VPC) problems.push(...createRules(n));
  else problems.push(...importRules(n, region));
  problems.push(...endpointRules(n, region, regionOk));
  return problems;
}
