import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiMetrics } from './api-metrics';
import { acknowledgeInferenceApi } from './inference-api-acknowledgements';
import { InferenceApiAlarmOptions, InferenceApiAlarms } from './inference-api-alarms';
import { InferenceWebAcl } from './inference-web-acl';
import { API_CREDENTIAL_TAG, INVOCATIONS_PATH, SMOKE_TEST_CREDENTIAL } from '../../core/names/inference-api-names';
import { InvalidValuesError } from '../../core/problem';
import { allowLogGroupEncryption, restrictGrantsToAwsResources } from '../key-policies';

/**
 * A steady rate and a burst, in requests.
 */
export interface InferenceApiThrottle {
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Requests at once above the steady rate. */
  readonly burstLimit: number;
}

/**
 * How many requests an API key may send per period.
 */
export interface InferenceApiQuota {
  /** Requests per period. */
  readonly limit: number;
  /** The period. */
  readonly period: apigw.Period;
}

/**
 * Cognito authorization of the API.
 */
export interface InferenceApiCognitoOptions {
  /** The user pool whose tokens the API accepts. */
  readonly userPool: cognito.IUserPool;
  /**
   * OAuth 2.0 scopes an access token needs (e.g. `churn-prod/invoke`). Without scopes, the API
   * takes ID tokens of the pool's users.
   * @default - none: ID tokens
   */
  readonly scopes?: string[];
}

/**
 * Props of the inference API.
 */
export interface InferenceApiProps {
  /** The REST API's fixed name (its metrics and alarms name it without a reference). */
  readonly restApiName: string;
  /** The stage's name: the first part of the path, `/<stage>/invocations`. */
  readonly stageName: string;
  /** The SageMaker endpoint's fixed name. */
  readonly endpointName: string;
  /** The request body's JSON Schema (draft-04), e.g. from `requestSchema()`. */
  readonly requestSchema: apigw.JsonSchema;
  /**
   * The whole stage's throttle, all API keys together.
   * @default - 100 requests per second, bursts of 200
   */
  readonly stageThrottle?: InferenceApiThrottle;
  /**
   * Each API key's throttle.
   * @default - 50 requests per second, bursts of 100
   */
  readonly keyThrottle?: InferenceApiThrottle;
  /**
   * Each API key's quota.
   * @default - 100,000 requests per day
   */
  readonly quota?: InferenceApiQuota;
  /**
   * Callers that get an API key each (named `<restApiName>-<caller>`). The smoke test always has
   * one more, `smoke-test`.
   * @default ["default"]
   */
  readonly apiKeyNames?: string[];
  /**
   * Take Cognito tokens instead of IAM signatures.
   * @default - IAM authorization (SigV4)
   */
  readonly cognito?: InferenceApiCognitoOptions;
  /**
   * Make the API private: reachable only through these `execute-api` interface VPC endpoints, with
   * a resource policy that refuses every other source.
   * @default - a regional API
   */
  readonly vpcEndpoints?: ec2.IVpcEndpoint[];
  /**
   * Requests one client IP address may send per 5 minutes before AWS WAF blocks it.
   * @default 20000
   */
  readonly wafRateLimit?: number;
  /**
   * Key of the access and WAF log groups.
   * @default - a new customer managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long access and WAF logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Thresholds of the API's alarms.
   * @default - 1% 5XX, 25% 4XX, 2000 ms p99 latency
   */
  readonly alarms?: InferenceApiAlarmOptions;
  /**
   * Notified when an alarm fires.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The access log line: JSON, one object per request; no bodies, no credentials. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  userArn: '$context.identity.userArn',
  cognitoClient: '$context.authorizer.claims.client_id',
  apiKeyId: '$context.identity.apiKeyId',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
  wafStatus: '$context.waf.status',
  tlsVersion: '$context.tlsVersion',
  xrayTraceId: '$context.xrayTraceId',
};

/** TLS 1.3 or 1.2 with forward secrecy and a post-quantum key exchange (the default is TLS 1.0). */
const SECURITY_POLICY = 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09';

/** An error body of the API: a message, what kind of error, and the request id to quote. */
function errorTemplate(message: string, type: string): string {
  return `{"message": "${message}", "type": "${type}", "requestId": "$context.requestId"}`;
}

/** A gateway response body: API Gateway's own message (already quoted), its type, the request id. */
const GATEWAY_ERROR = '{"message": $context.error.messageString, "type": "$context.error.responseType", "requestId": "$context.requestId"}';

/**
 * The front door of a SageMaker endpoint: an API Gateway REST API whose one method,
 * `POST /<stage>/invocations`, validates the body against the request schema (a 400 that says
 * what is wrong before the model sees it), requires IAM signatures (or Cognito tokens) and an
 * API key, and calls `InvokeEndpoint` through an AWS service integration with a role that may
 * invoke this endpoint and nothing else.
 *
 * Each API key is throttled and metered by a usage plan; the stage has its own throttle. Access
 * logs (JSON, no bodies) go to a KMS-encrypted log group, execution errors to API Gateway's log
 * group, traces to X-Ray. AWS WAF guards the stage. Alarms watch the 5XX and 4XX rates and the
 * latency; the 5XX alarm is fit to roll back an endpoint update. TLS below 1.2 is refused.
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigw.RestApi;
  /** Its stage. */
  public readonly stage: apigw.Stage;
  /** The `POST /invocations` method. */
  public readonly method: apigw.Method;
  /** The URL requests are posted to. */
  public readonly invocationsUrl: string;
  /** The role API Gateway invokes the endpoint with. */
  public readonly integrationRole: iam.Role;
  /** The usage plan every API key belongs to. */
  public readonly usagePlan: apigw.UsagePlan;
  /** The API keys, by caller (the smoke test's included). */
  public readonly apiKeys: { [caller: string]: apigw.IApiKey };
  /** The access log group. */
  public readonly accessLogs: logs.LogGroup;
  /** The web ACL on the stage. */
  public readonly webAcl: InferenceWebAcl;
  /** Metrics of the stage. */
  public readonly metrics: ApiMetrics;
  /** The alarms. */
  public readonly alarms: InferenceApiAlarms;
  /** The key of the log groups. */
  public readonly encryptionKey: kms.IKey;
  /** Whether the API is reachable only through VPC endpoints. */
  public readonly isPrivate: boolean;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    const name = props.restApiName;
    const stageThrottle = props.stageThrottle ?? { rateLimit: 100, burstLimit: 200 };
    const keyThrottle = props.keyThrottle ?? { rateLimit: 50, burstLimit: 100 };
    checkThrottles(stageThrottle, keyThrottle);
    const callers = props.apiKeyNames ?? ['default'];
    checkCallers(callers);
    const vpcEndpoints = props.vpcEndpoints ?? [];
    this.isPrivate = vpcEndpoints.length > 0;
    this.metrics = new ApiMetrics(name, props.stageName);
    this.alarms = new InferenceApiAlarms(this, 'Alarms', { ...props.alarms, metrics: this.metrics, alarmAction: props.alarmAction });
    this.encryptionKey = props.encryptionKey ?? logsKey(this, name);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: this.encryptionKey,
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi = this.createRestApi(props, stageThrottle, vpcEndpoints);
    this.stage = this.restApi.deploymentStage;
    const requestChecks = this.addRequestChecks(props.requestSchema);
    this.integrationRole = invokeRole(this, Stack.of(this), props.endpointName);
    this.method = this.addInvocationsMethod(props, requestChecks);
    this.invocationsUrl = this.restApi.urlForPath(`/${INVOCATIONS_PATH}`);
    this.addGatewayResponses();
    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      name,
      description: `Per-key limits of ${name}`,
      throttle: keyThrottle,
      quota: props.quota ?? { limit: 100_000, period: apigw.Period.DAY },
      apiStages: [{ api: this.restApi, stage: this.stage }],
    });
    this.apiKeys = {};
    for (const caller of [...callers, SMOKE_TEST_CREDENTIAL]) this.addApiKey(caller);
    this.webAcl = new InferenceWebAcl(this, 'Waf', {
      name,
      encryptionKey: this.encryptionKey,
      rateLimit: props.wafRateLimit,
      logRetention,
    });
    this.webAcl.associate('StageAssociation', this.stage.stageArn);

    acknowledgeInferenceApi(this, { iamAuthorization: !props.cognito });
  }

  /**
   * An API key for a caller, in the usage plan, tagged so the smoke test can find its own.
   * Its value is generated by API Gateway (read it with `aws apigateway get-api-key --include-value`).
   */
  public addApiKey(caller: string): apigw.IApiKey {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(caller)) {
      throw new InvalidValuesError('InferenceApi.addApiKey', [{ path: 'caller', value: caller, message: 'is not an API key name', fix: 'use up to 32 lower-case letters, digits and dashes, starting with a letter' }]);
    }
    if (this.apiKeys[caller]) {
      throw new InvalidValuesError('InferenceApi.addApiKey', [{ path: 'caller', value: caller, message: 'already has a key on this API', fix: 'give each caller its own name' }]);
    }
    const key = new apigw.ApiKey(this, `Key-${caller}`, {
      apiKeyName: `${this.restApi.restApiName}-${caller}`,
      description: `${caller === SMOKE_TEST_CREDENTIAL ? 'The delivery pipeline\'s smoke test' : `Caller ${caller}`} of ${this.restApi.restApiName}`,
      enabled: true,
    });
    Tags.of(key).add(API_CREDENTIAL_TAG, caller);
    this.usagePlan.addApiKey(key);
    this.apiKeys[caller] = key;
    return key;
  }

  /** Lets a principal call the API (IAM authorization; it still needs an API key). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.restApi.arnForExecuteApi('POST', `/${INVOCATIONS_PATH}`, this.stage.stageName)],
    });
  }

  /** Requests received. @default - sum over 1 minute */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricCount(props);
  }

  /** Requests rejected with 4XX. @default - sum over 1 minute */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricClientError(props);
  }

  /** Requests failed with 5XX. @default - sum over 1 minute */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricServerError(props);
  }

  /** p99 latency in milliseconds. @default - over 1 minute */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricLatency(props);
  }

  /**
   * The REST API and its stage: regional, or private behind the VPC endpoints; TLS 1.2 or later
   * only; the stage throttled, traced, its errors and access logged without bodies.
   */
  private createRestApi(props: InferenceApiProps, stageThrottle: InferenceApiThrottle, vpcEndpoints: ec2.IVpcEndpoint[]): apigw.RestApi {
    const name = props.restApiName;
    const restApi = new apigw.RestApi(this, 'Api', {
      restApiName: name,
      description: `Scores rows with the SageMaker endpoint ${props.endpointName}`,
      endpointConfiguration: this.isPrivate
        ? { types: [apigw.EndpointType.PRIVATE], vpcEndpoints }
        : { types: [apigw.EndpointType.REGIONAL] },
      ...(this.isPrivate ? { policy: privateApiPolicy(vpcEndpoints, !!props.cognito) } : {}),
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        description: `The ${props.stageName} stage of ${name}`,
        tracingEnabled: true,
        metricsEnabled: true,
        // Errors only, and never request or response bodies: rows may hold personal data.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: stageThrottle.rateLimit,
        throttlingBurstLimit: stageThrottle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const cfnApi = restApi.node.defaultChild as apigw.CfnRestApi;
    cfnApi.securityPolicy = SECURITY_POLICY;
    cfnApi.endpointAccessMode = 'STRICT';
    return restApi;
  }

  /** The request model (the schema) and a validator of the body and the headers. */
  private addRequestChecks(requestSchema: apigw.JsonSchema): { model: apigw.Model; validator: apigw.RequestValidator } {
    const model = this.restApi.addModel('RequestModel', {
      modelName: 'InferenceRequest',
      contentType: 'application/json',
      description: 'Rows to score, as the data contract describes them',
      schema: requestSchema,
    });
    const validator = this.restApi.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-headers',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    return { model, validator };
  }

  /**
   * `POST /invocations`: IAM signatures or Cognito tokens, an API key, the body checked against
   * the model, then `InvokeEndpoint` with the integration role.
   */
  private addInvocationsMethod(props: InferenceApiProps, requestChecks: { model: apigw.Model; validator: apigw.RequestValidator }): apigw.Method {
    const authorizer = props.cognito
      ? new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
        authorizerName: `${props.restApiName}-cognito`,
        cognitoUserPools: [props.cognito.userPool],
        identitySource: apigw.IdentitySource.header('Authorization'),
      })
      : undefined;
    const errorResponse = (statusCode: string, headers: string[] = []): apigw.MethodResponse => ({
      statusCode,
      responseModels: { 'application/json': apigw.Model.ERROR_MODEL },
      ...(headers.length > 0 ? { responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, true])) } : {}),
    });
    return this.restApi.root.addResource(INVOCATIONS_PATH).addMethod('POST', endpointIntegration(props.endpointName, this.integrationRole), {
      operationName: 'Invoke',
      authorizationType: props.cognito ? apigw.AuthorizationType.COGNITO : apigw.AuthorizationType.IAM,
      ...(authorizer ? { authorizer } : {}),
      ...(props.cognito?.scopes?.length ? { authorizationScopes: props.cognito.scopes } : {}),
      apiKeyRequired: true,
      requestValidator: requestChecks.validator,
      requestModels: { 'application/json': requestChecks.model },
      // Without it a request gets 415; with it, a 400 that names the missing header.
      requestParameters: { 'method.request.header.Content-Type': true },
      methodResponses: [
        { statusCode: '200', responseModels: { 'application/json': apigw.Model.EMPTY_MODEL } },
        errorResponse('502'),
        errorResponse('503', ['Retry-After']),
      ],
    });
  }

  /**
   * Error bodies in one JSON shape, `{message, type, requestId}`; a bad body also says which rule
   * of the schema it broke (`errors`). Throttling asks to retry after a second.
   */
  private addGatewayResponses(): void {
    const json = (template: string) => ({ 'application/json': template });
    this.restApi.addGatewayResponse('BadRequestBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: json('{"message": $context.error.messageString, "type": "$context.error.responseType", "errors": "$context.error.validationErrorString", "requestId": "$context.requestId"}'),
    });
    this.restApi.addGatewayResponse('UnsupportedMediaType', {
      type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
      statusCode: '415',
      templates: json('{"message": "Send the rows as JSON with Content-Type: application/json", "type": "$context.error.responseType", "requestId": "$context.requestId"}'),
    });
    this.restApi.addGatewayResponse('MissingAuthenticationToken', {
      type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '403',
      templates: json(`{"message": "Missing authentication: sign the request (or send a token) and POST to /$context.stage/${INVOCATIONS_PATH}", "type": "$context.error.responseType", "requestId": "$context.requestId"}`),
    });
    this.restApi.addGatewayResponse('Throttled', {
      type: apigw.ResponseType.THROTTLED,
      statusCode: '429',
      responseHeaders: { 'Retry-After': "'1'" },
      templates: json(GATEWAY_ERROR),
    });
    this.restApi.addGatewayResponse('QuotaExceeded', { type: apigw.ResponseType.QUOTA_EXCEEDED, statusCode: '429', templates: json(GATEWAY_ERROR) });
    this.restApi.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, templates: json(GATEWAY_ERROR) });
    this.restApi.addGatewayResponse('Default5xx', { type: apigw.ResponseType.DEFAULT_5XX, templates: json(GATEWAY_ERROR) });
  }
}

function checkThrottle(name: string, t: InferenceApiThrottle): void {
  for (const [field, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidValuesError('InferenceApi', [{ path: `${name}.${field}`, value, message: 'is not a positive whole number', fix: 'give 1 or more requests' }]);
    }
  }
}

/** Both throttles are whole numbers, and a key's fits inside the stage's. */
function checkThrottles(stageThrottle: InferenceApiThrottle, keyThrottle: InferenceApiThrottle): void {
  checkThrottle('stageThrottle', stageThrottle);
  checkThrottle('keyThrottle', keyThrottle);
  if (keyThrottle.rateLimit > stageThrottle.rateLimit || keyThrottle.burstLimit > stageThrottle.burstLimit) {
    throw new InvalidValuesError('InferenceApi', [{
      path: 'keyThrottle',
      value: keyThrottle,
      message: `exceeds stageThrottle (${stageThrottle.rateLimit}/s, burst ${stageThrottle.burstLimit}); the stage would throttle first`,
      fix: 'give each key a rate and burst at most the stage\'s',
    }]);
  }
}

/** Callers' names are unique, and the smoke test's is kept for the smoke test. */
function checkCallers(callers: string[]): void {
  if (callers.includes(SMOKE_TEST_CREDENTIAL) || new Set(callers).size !== callers.length) {
    throw new InvalidValuesError('InferenceApi', [{
      path: 'apiKeyNames', value: callers, message: `repeat a name or include "${SMOKE_TEST_CREDENTIAL}", which the smoke test's key has`, fix: `name each caller once, and not "${SMOKE_TEST_CREDENTIAL}"`,
    }]);
  }
}

/**
 * The AWS service integration that calls `InvokeEndpoint` with the role: JSON bodies only, the
 * request id as the inference id; a model still loading answers 503 with Retry-After, any other
 * failure 502.
 */
function endpointIntegration(endpointName: string, credentialsRole: iam.IRole): apigw.AwsIntegration {
  return new apigw.AwsIntegration({
    service: 'runtime.sagemaker',
    path: `endpoints/${endpointName}/invocations`,
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole,
      // Only JSON bodies reach the model, and only after the schema accepted them.
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': '$input.body' },
      requestParameters: {
        'integration.request.header.Content-Type': "'application/json'",
        'integration.request.header.Accept': "'application/json'",
        // Data capture records the API's request id with each row: logs and captures line up.
        'integration.request.header.X-Amzn-SageMaker-Inference-Id': 'context.requestId',
      },
      timeout: Duration.seconds(29),
      integrationResponses: [
        { statusCode: '200' },
        {
          // ModelNotReadyException: the endpoint is still loading; worth a retry.
          selectionPattern: '429',
          statusCode: '503',
          responseParameters: { 'method.response.header.Retry-After': "'5'" },
          responseTemplates: { 'application/json': errorTemplate('The model is not ready yet; retry in a few seconds', 'MODEL_NOT_READY') },
        },
        {
          // ModelError (424) and every other failure: the request passed the schema, so the
          // model or the endpoint is at fault. A 5XX, which the endpoint's rollout watches.
          selectionPattern: '(40[0-9]|41[0-9]|42[0-8]|4[3-9][0-9]|5[0-9][0-9])',
          statusCode: '502',
          responseTemplates: { 'application/json': errorTemplate('The model could not score the request', 'MODEL_ERROR') },
        },
      ],
    },
  });
}

/** A key for the API's log groups: CloudWatch Logs of this account may use it, grants only for AWS resources. */
function logsKey(scope: Construct, name: string): kms.Key {
  const key = new kms.Key(scope, 'LogsKey', {
    description: `Encrypts the access and WAF logs of the ${name} API`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowLogGroupEncryption(key);
  restrictGrantsToAwsResources(key);
  return key;
}

/** The role API Gateway calls InvokeEndpoint with: this endpoint, nothing else. */
function invokeRole(scope: Construct, stack: Stack, endpointName: string): iam.Role {
  const policy = new iam.ManagedPolicy(scope, 'InvokePolicy', {
    description: `API Gateway invokes the SageMaker endpoint ${endpointName}`,
    statements: [new iam.PolicyStatement({
      sid: 'InvokeTheEndpoint',
      actions: ['sagemaker:InvokeEndpoint'],
      resources: [stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: endpointName.toLowerCase() })],
    })],
  });
  return new iam.Role(scope, 'InvokeRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: `API Gateway's role for the SageMaker endpoint ${endpointName}`,
    managedPolicies: [policy],
  });
}

/**
 * The resource policy of a private API: invocations only through the given VPC endpoints,
 * refused from anywhere else. IAM callers must be principals of this account (their own policies
 * then decide); Cognito callers carry no AWS identity, so any principal is named and the
 * authorizer decides.
 */
function privateApiPolicy(endpoints: ec2.IVpcEndpoint[], cognitoAuthorization: boolean): iam.PolicyDocument {
  const ids = endpoints.map((e) => e.vpcEndpointId);
  const invoke = { actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'OnlyThroughTheVpcEndpoints',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        ...invoke,
        conditions: { StringNotEquals: { 'aws:SourceVpce': ids } },
      }),
      new iam.PolicyStatement({
        sid: 'InvokeThroughTheVpcEndpoints',
        effect: iam.Effect.ALLOW,
        principals: [cognitoAuthorization ? new iam.AnyPrincipal() : new iam.AccountRootPrincipal()],
        ...invoke,
        conditions: { StringEquals: { 'aws:SourceVpce': ids } },
      }),
    ],
  });
}
