import { ResolvedNetworkCost } from './resolved';

/**
 * Interface VPC endpoint price, USD per endpoint per availability zone per hour.
 *
 * Source: the AWS PrivateLink pricing page, "Interface Endpoint pricing", US East (N. Virginia):
 * $0.01 per VPC endpoint per AZ-hour, plus $0.01 per GB processed (first PB). The page renders
 * its hourly table by script; the figure was checked 2026-11 against independently published
 * cost guides that quote the same rate. Gateway endpoints (S3) cost nothing. Several regions
 * charge more: check the pricing page for yours before budgeting.
 */
export const INTERFACE_ENDPOINT_USD_PER_AZ_HOUR = 0.01;

/** Hours in the average month, as AWS bills by the hour. */
export const HOURS_PER_MONTH = 730;

export const ENDPOINT_PRICE_SOURCE = 'AWS PrivateLink pricing page, interface endpoints, us-east-1: $0.01 per endpoint per AZ-hour (checked 2026-11); '
  + 'data processed ($0.01/GB) and flow log ingestion come on top and grow with use';

/**
 * The AWS-managed S3 prefix list (`com.amazonaws.<region>.s3`) of the regions where its id was
 * confirmed in published `describe-prefix-lists` / `describe-managed-prefix-lists` output
 * (AWS Tools for PowerShell reference for eu-west-1; several independent templates agreeing on
 * the others), checked 2026-11. AWS-managed prefix lists keep one id per region across accounts.
 * CloudFormation returns no prefix list for a gateway endpoint, so the id is configuration:
 * elsewhere, `network.s3PrefixListId` must be set.
 */
export const S3_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'us-east-1': 'pl-63a5400a',
  'us-west-2': 'pl-68a54001',
  'eu-west-1': 'pl-6da54004',
  'eu-central-1': 'pl-6ea54007',
};

/** The command that prints a region's S3 prefix list id. */
export function prefixListCommand(region: string): string {
  return `aws ec2 describe-managed-prefix-lists --region ${region} --filters Name=prefix-list-name,Values=com.amazonaws.${region}.s3 --query "PrefixLists[0].PrefixListId" --output text`;
}

/** The idle monthly cost of interface endpoints: what they cost before any traffic. */
export function estimateEndpointCost(interfaceEndpoints: number, availabilityZones: number): ResolvedNetworkCost {
  const endpointAzHours = interfaceEndpoints * availabilityZones * HOURS_PER_MONTH;
  return {
    interfaceEndpoints,
    availabilityZones,
    usdPerEndpointAzHour: INTERFACE_ENDPOINT_USD_PER_AZ_HOUR,
    idleUsdPerMonth: Math.round(endpointAzHours * INTERFACE_ENDPOINT_USD_PER_AZ_HOUR * 100) / 100,
    source: ENDPOINT_PRICE_SOURCE,
  };
}
