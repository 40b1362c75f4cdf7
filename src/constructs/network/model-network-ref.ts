import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * The condition under which a bucket accepts data reads: requests that came through the
 * network's S3 endpoint(s), or through the VPC when its S3 endpoint is not known.
 */
export interface DataBoundary {
  /** `aws:SourceVpce` when the endpoint ids are known, else `aws:SourceVpc`. */
  readonly conditionKey: string;
  /** The endpoint ids, or the VPC id. */
  readonly values: string[];
}

/**
 * Options of an interface endpoint added to the network.
 */
export interface InterfaceEndpointOptions {
  /**
   * Actions the endpoint lets through (its endpoint policy), for principals of this model.
   * @default - the actions the product's workloads call on that service, else every action of it
   */
  readonly actions?: string[];
  /**
   * Resources those actions may name.
   * @default ["*"]
   */
  readonly resources?: string[];
  /**
   * Let any caller through, not only this model's roles: for services whose callers may carry no
   * AWS identity (a private API called with a token or an API key), or belong to other teams.
   * The policy still names the actions and resources.
   * @default false
   */
  readonly anyPrincipal?: boolean;
  /**
   * IPv4 ranges that may send HTTPS to this endpoint besides the model's workloads: a security
   * group of its own admits them, so the other endpoints stay closed to them.
   * @default - none: the model's workloads only
   */
  readonly allowFrom?: string[];
}

/**
 * What the other concerns use of the model's network: the VPC and its private subnets, the
 * security group of the interface endpoints, the S3 prefix list, and the two one-liners that
 * put a workload into the network (`securityGroupFor`) and let it reach one more AWS API
 * (`addInterfaceEndpoint`).
 */
export interface IModelNetwork {
  /** The VPC the workloads run in. */
  readonly vpc: ec2.IVpc;
  /** Its id. */
  readonly vpcId: string;
  /** The private subnets the workloads run in, one or more per zone. */
  readonly subnets: ec2.ISubnet[];
  /** Their ids, as SageMaker's `VpcConfig.Subnets` takes them. */
  readonly subnetIds: string[];
  /**
   * The security group of the interface endpoints this network created; workloads may send
   * HTTPS to it and it admits only them.
   */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** The region's AWS-managed S3 prefix list, which workloads may send HTTPS to. */
  readonly s3PrefixListId: string;
  /** The condition data reads from the lake must meet. */
  readonly dataBoundary: DataBoundary;

  /**
   * A security group for one workload: no ingress, egress HTTPS to the interface endpoints and
   * to S3 only; the endpoints admit it.
   */
  securityGroupFor(scope: Construct, id: string, description: string): ec2.SecurityGroup;

  /**
   * The interface endpoint of a service (`com.amazonaws.<region>.<service>`), created with
   * private DNS and a policy scoped to this model's principals the first time it is asked for.
   * Undefined when the network uses endpoints it does not own (an imported VPC whose landing
   * zone provides them).
   */
  addInterfaceEndpoint(service: string, options?: InterfaceEndpointOptions): ec2.IInterfaceVpcEndpoint | undefined;
}
