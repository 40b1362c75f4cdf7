import { Problem } from '../../core/problem';
import { AidlcConfigOptions } from '../options';
import { checkString } from './checks';

const MODEL_NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

/** Reads `owner/name` out of `owner/name`, an https URL or an ssh remote. */
export function parseGithubRepository(value: string): { owner: string; name: string } | undefined {
  const m = /^(?:(?:https:\/\/|git@|ssh:\/\/git@)github\.com[/:])?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/.exec(value.trim());
  if (!m || m[2] === '.' || m[2] === '..') return undefined;
  return { owner: m[1], name: m[2] };
}

export function identityRules(o: AidlcConfigOptions): Problem[] {
  const problems: Problem[] = [];
  if (typeof o.modelName !== 'string' || !MODEL_NAME.test(o.modelName)) {
    const suggestion = typeof o.modelName === 'string'
      ? o.modelName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 32)
      : '';
    problems.push({
      path: 'modelName',
      value: o.modelName,
      message: 'must be 3 to 32 lower-case letters, digits and dashes, starting with a letter (it names stacks, buckets and endpoints)',
      fix: suggestion.length >= 3 ? `use "${suggestion}"` : 'use a name such as "churn"',
    });
  }
  if (typeof o.githubRepository !== 'string' || !parseGithubRepository(o.githubRepository)) {
    problems.push({ path: 'githubRepository', value: o.githubRepository, message: 'is not a GitHub repository', fix: 'use "owner/name", e.g. "acme/churn"' });
  }
  problems.push(...checkString('githubConnectionArn', o.githubConnectionArn, CONNECTION_ARN, 'a CodeConnections connection ARN', 'arn:aws:codeconnections:us-east-1:123456789012:connection/0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d'));
  problems.push(...checkString('awsRegion', o.awsRegion, REGION, 'an AWS region', 'eu-west-1'));
  problems.push(...checkString('awsAccount', o.awsAccount, ACCOUNT, 'a 12-digit AWS account id', '123456789012'));
  return problems;
}
