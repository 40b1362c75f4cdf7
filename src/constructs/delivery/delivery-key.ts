import { RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowLogGroupEncryption, restrictGrantsToAwsResources } from '../key-policies';

/**
 * A customer managed key with rotation that CloudWatch Logs of this account and region may use
 * for log groups (and nothing else of CloudWatch Logs), and on which grants can only be created
 * for AWS resources (the services that encrypt with it), never handed to a principal directly.
 */
export function deliveryKey(scope: Construct, id: string, description: string): Key {
  const key = new Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowLogGroupEncryption(key);
  restrictGrantsToAwsResources(key);
  return key;
}
