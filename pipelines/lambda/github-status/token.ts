import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Forms GitHub tokens take: fine-grained, classic, app and OAuth tokens, or a 40-hex legacy token. */
const GITHUB_TOKEN = /^(github_pat_|gh[pousr]_)[A-Za-z0-9_]+$|^[0-9a-f]{40}$/;

/**
 * The GitHub token from Secrets Manager, read at most once per `ttlMs` (a cold start reads it;
 * a rotated token is picked up within the TTL). A value that is not a GitHub token (the random
 * string CloudFormation puts in a new secret) counts as not set.
 */
export class SecretToken {
  private cached?: { value: string | undefined; at: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlMs: number = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  public async get(): Promise<string | undefined> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.value;
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const raw = (out.SecretString ?? '').trim();
    const value = GITHUB_TOKEN.test(raw) ? raw : undefined;
    this.cached = { value, at: this.now() };
    return value;
  }

  /** Forgets the cached token (after GitHub refused it). */
  public forget(): void {
    this.cached = undefined;
  }
}
