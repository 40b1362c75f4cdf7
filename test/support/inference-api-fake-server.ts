import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { RequestCheck } from '../../pipelines/cli/api/request-check';

/** Credentials the fake API trusts, as the signer would get them from the environment. */
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
export const REGION = 'eu-west-1';
export const API_KEY = 'key-value-0123456789';
export const ACCESS_TOKEN = 'eyJ.access.token';

/** One request the fake API received. */
export interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Whether its SigV4 signature (IAM) or token (Cognito) checked out. */
  readonly authenticated: boolean;
}

/** How the fake misbehaves, to test what callers make of it. */
export interface FakeBehaviour {
  /** Authentication it expects. */
  auth: 'iam' | 'token';
  /** Answer 429 THROTTLED to this many requests first. */
  throttleFirst: number;
  /** Answer every request 429 QUOTA_EXCEEDED. */
  quotaExceeded: boolean;
  /** Let every body through to the "model", like an API without validation. */
  skipValidation: boolean;
  /** The "model" fails: 502 for valid bodies. */
  modelFails: boolean;
  /** Validation errors in the 400 answer leave the field out. */
  terseErrors: boolean;
}

/**
 * A stand-in for a stage's inference API on a local port: checks the SigV4 signature by signing
 * the received request again with the same credentials and date, checks the API key, validates
 * the body against the request schema (400, in the API's error shape) and answers one prediction
 * per row, as the model's `{"predictions": [...]}`.
 */
export class FakeInferenceApi {
  public readonly received: Received[] = [];
  public behaviour: FakeBehaviour = { auth: 'iam', throttleFirst: 0, quotaExceeded: false, skipValidation: false, modelFails: false, terseErrors: false };
  private server?: http.Server;
  private readonly check: RequestCheck;
  private readonly signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: CREDENTIALS, sha256: Sha256 });

  constructor(schema: Record<string, unknown>, private readonly stage = 'staging') {
    this.check = new RequestCheck(schema);
  }

  /** Starts listening; resolves to the invocations URL. */
  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.answer(req, Buffer.concat(chunks).toString('utf-8')).then(({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.stage}/invocations`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async authenticated(req: http.IncomingMessage, body: string): Promise<boolean> {
    if (this.behaviour.auth === 'token') return req.headers.authorization === ACCESS_TOKEN;
    const authorization = String(req.headers.authorization ?? '');
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
    const date = String(req.headers['x-amz-date'] ?? '');
    if (signedHeaders.length === 0 || !/^\d{8}T\d{6}Z$/.test(date)) return false;
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) if (name !== 'x-amz-date' && name !== 'x-amz-security-token' && name !== 'x-amz-content-sha256') headers[name] = String(req.headers[name]);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const again = await this.signer.sign({
      method: req.method ?? 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body,
    }, { signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) });
    return again.headers.authorization === authorization;
  }

  private async answer(req: http.IncomingMessage, body: string): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const ok = await this.authenticated(req, body);
    this.received.push({ path: req.url ?? '', headers: req.headers, body, authenticated: ok });
    const requestId = `req-${this.received.length}`;
    if (req.url !== `/${this.stage}/invocations`) return { status: 403, body: { message: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', requestId } };
    if (!ok) return { status: 403, body: { message: 'The request signature we calculated does not match the signature you provided.', type: 'INVALID_SIGNATURE', requestId } };
    if (req.headers['x-api-key'] !== API_KEY) return { status: 403, body: { message: 'Forbidden', type: 'INVALID_API_KEY', requestId } };
    if (!req.headers['user-agent']) return { status: 403, body: { message: 'Forbidden', type: 'WAF_FILTERED', requestId } };
    if (this.behaviour.quotaExceeded) return { status: 429, body: { message: 'Limit Exceeded', type: 'QUOTA_EXCEEDED', requestId } };
    if (this.received.length <= this.behaviour.throttleFirst) {
      return { status: 429, body: { message: 'Too Many Requests', type: 'THROTTLED', requestId }, headers: { 'retry-after': '1' } };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { status: 400, body: { message: 'Invalid request body', type: 'BAD_REQUEST_BODY', errors: '[invalid JSON]', requestId } };
    }
    if (!this.behaviour.skipValidation) {
      const problems = this.check.problems(parsed);
      if (problems.length > 0) {
        const errors = this.behaviour.terseErrors ? '[instance failed validation]' : `[${problems.map((p) => `${p.column ? `${JSON.stringify([p.column])} ` : ''}${p.message}`).join(', ')}]`;
        return { status: 400, body: { message: 'Invalid request body', type: 'BAD_REQUEST_BODY', errors, requestId } };
      }
    }
    if (this.behaviour.modelFails) return { status: 502, body: { message: 'The model could not score the request', type: 'MODEL_ERROR', requestId } };
    const rows = (parsed as { instances?: unknown[] }).instances ?? [];
    return { status: 200, body: { predictions: rows.map((_, i) => Number((0.1 + i / 100).toFixed(2))) } };
  }
}
