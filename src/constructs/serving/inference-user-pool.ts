import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { INVOKE_SCOPE, SMOKE_TEST_CREDENTIAL } from '../../core/names/inference-api-names';
import { InvalidValuesError } from '../../core/problem';

/**
 * Props of the inference API's user pool.
 */
export interface InferenceUserPoolProps {
  /** Name of the pool and identifier of its resource server (the scope is `<name>/invoke`). */
  readonly name: string;
  /**
   * Prefix of the pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in
   * the region; may not contain `aws`, `amazon` or `cognito`.
   */
  readonly domainPrefix: string;
  /**
   * How long an access token is valid.
   * @default Duration.hours(1)
   */
  readonly accessTokenValidity?: Duration;
}

/**
 * A Cognito user pool made for one inference API: OAuth 2.0 access tokens with the `invoke`
 * scope of its resource server, from the client credentials grant (machines) or the managed
 * login (people). Self sign-up is off, MFA is required, the password policy is strong, threat
 * protection runs in full (the Plus feature plan), and the pool cannot be deleted by accident.
 * The smoke test has its own app client; add one per application with `addMachineClient`.
 */
export class InferenceUserPool extends Construct {
  /** The user pool. */
  public readonly userPool: cognito.UserPool;
  /** The resource server the API's scope belongs to. */
  public readonly resourceServer: cognito.UserPoolResourceServer;
  /** The scope an access token needs, `<name>/invoke`. */
  public readonly scope: cognito.OAuthScope;
  /** The scope's full name. */
  public readonly scopeName: string;
  /** The pool's Cognito domain. */
  public readonly domain: cognito.UserPoolDomain;
  /** The OAuth 2.0 token endpoint. */
  public readonly tokenUrl: string;
  /** The smoke test's app client (client credentials, with a secret). */
  public readonly smokeTestClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: InferenceUserPoolProps) {
    super(scope, id);
    // Tokens (an account id known only at deploy) are no words of the prefix.
    if (/aws|amazon|cognito/.test(props.domainPrefix.replace(/\$\{Token\[[^\]]*\]\}/g, ''))) {
      throw new InvalidValuesError('InferenceUserPool', [{
        path: 'domainPrefix', value: props.domainPrefix, message: 'may not contain "aws", "amazon" or "cognito" (Cognito refuses it)', fix: 'choose a prefix without those words',
      }]);
    }
    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: props.name,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const invoke = new cognito.ResourceServerScope({ scopeName: INVOKE_SCOPE, scopeDescription: `Score rows with the ${props.name} API` });
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', { identifier: props.name, scopes: [invoke] });
    this.scope = cognito.OAuthScope.resourceServer(this.resourceServer, invoke);
    this.scopeName = `${props.name}/${INVOKE_SCOPE}`;
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.smokeTestClient = this.addMachineClient('SmokeTestClient', SMOKE_TEST_CREDENTIAL, props.accessTokenValidity);
  }

  /**
   * An app client for a machine caller: the client credentials grant with the API's scope, and a
   * secret Cognito generates (read it with `aws cognito-idp describe-user-pool-client`).
   */
  public addMachineClient(id: string, clientName: string, accessTokenValidity: Duration = Duration.hours(1)): cognito.UserPoolClient {
    return this.userPool.addClient(id, {
      userPoolClientName: clientName,
      generateSecret: true,
      authFlows: {},
      oAuth: { flows: { clientCredentials: true }, scopes: [this.scope] },
      accessTokenValidity,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
  }
}
