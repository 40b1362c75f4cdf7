import * as http from 'node:http';
import * as https from 'node:https';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { Sha256 } from '@aws-crypto/sha256-js';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { SignatureV4 } from '@smithy/signature-v4';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Sent with every request. */
export const USER_AGENT = 'aidlc-pipeline-cli';

/** How requests prove who sends them. */
export type ApiAuth =
  /** Signature Version 4 for `execute-api`, with IAM credentials. */
  | { readonly kind: 'iam'; readonly region: string; readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider }
  /** An OAuth 2.0 access token (Cognito), sent as `Authorization`. */
  | { readonly kind: 'token'; readonly token: string };

/** An answer of the API. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json?: unknown;
}

/** One HTTP exchange; tests swap in their own. */
export type HttpSend = (url: URL, method: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<ApiResponse>;

export interface ApiClientOptions {
  /** The invocations URL. */
  readonly url: string;
  readonly auth: ApiAuth;
  /** Sent as `x-api-key`: the usage plan meters and throttles by it. */
  readonly apiKey?: string;
  /** @default 35000 (API Gateway answers within 29 s) */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  readonly send?: HttpSend;
}

/** Node's HTTP(S) client; a socket failure becomes an Error with its code. */
export const nodeSend: HttpSend = (url, method, headers, body, timeoutMs) => new Promise((resolve, reject) => {
  const transport = url.protocol === 'http:' ? http : https;
  const req = transport.request(url, { method, headers, timeout: timeoutMs }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf-8');
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      resolve({ status: res.statusCode ?? 0, headers: flat, body: text, json: parseJson(text) });
    });
    res.on('error', reject);
  });
  req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${url.host} within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
  req.on('error', reject);
  req.end(body);
});

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Posts JSON to the inference API, signed with SigV4 (IAM) or carrying a bearer token (Cognito),
 * and the API key. Answers of any status are returned; only socket failures throw.
 */
export class ApiClient {
  private readonly url: URL;
  private readonly signer?: SignatureV4;

  constructor(private readonly options: ApiClientOptions) {
    this.url = new URL(options.url);
    if (options.auth.kind === 'iam') {
      this.signer = new SignatureV4({ service: 'execute-api', region: options.auth.region, credentials: options.auth.credentials, sha256: Sha256 });
    }
  }

  /** The URL requests go to. */
  public get endpoint(): string {
    return this.url.toString();
  }

  public async post(payload: unknown): Promise<ApiResponse> {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const headers: Record<string, string> = {
      'host': this.url.host,
      'content-type': 'application/json',
      'accept': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      // AWS WAF's common rule set blocks requests without a User-Agent.
      'user-agent': USER_AGENT,
      ...(this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {}),
    };
    const auth = this.options.auth;
    let signed = headers;
    if (auth.kind === 'token') {
      signed = { ...headers, authorization: auth.token };
    } else {
      const request = await this.signer!.sign({
        method: 'POST',
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        ...(this.url.port ? { port: Number(this.url.port) } : {}),
        path: this.url.pathname,
        query: Object.fromEntries(this.url.searchParams),
        headers,
        body,
      }, { signingDate: this.options.now?.() ?? new Date() });
      signed = request.headers as Record<string, string>;
    }
    return (this.options.send ?? nodeSend)(this.url, 'POST', signed, body, this.options.timeoutMs ?? 35_000);
  }
}
