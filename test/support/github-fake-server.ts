import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the fake server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: any;
}

/** A fault injected into the next matching requests. */
export interface Fault {
  readonly method: string;
  readonly path: RegExp;
  /** How many matching requests get it. */
  times: number;
  /**
   * An HTTP error response; `reset` to drop the connection without one; `stall` to accept the
   * request and never answer; `garbled` for a 200 whose JSON body is cut off.
   */
  readonly response: { status: number; headers?: Record<string, string>; body?: unknown } | 'reset' | 'stall' | 'garbled';
}

export interface FakeEnvironment {
  name: string;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  waitTimer?: number;
  preventSelfReview?: boolean;
  deploymentBranchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: { id: number; name: string; type: string }[];
}

export interface FakeProtection {
  required_status_checks: { strict: boolean; contexts: string[] } | null;
  enforce_admins: boolean;
  required_pull_request_reviews: unknown;
  restrictions: unknown;
  required_linear_history?: boolean;
}

export interface FakeStatus {
  context: string;
  state: string;
  description: string;
  target_url: string;
  id: number;
}

/**
 * The slice of the GitHub REST API this package uses, in memory, on 127.0.0.1: commit statuses,
 * environments and their branch policies, branch protection, Actions variables, users and teams.
 */
export class FakeGithub {
  public readonly requests: RecordedRequest[] = [];
  public readonly faults: Fault[] = [];
  public readonly statuses = new Map<string, FakeStatus[]>();
  public readonly commits = new Set<string>();
  public readonly environments = new Map<string, FakeEnvironment>();
  public readonly protection = new Map<string, FakeProtection>();
  public readonly variables = new Map<string, string>();
  public readonly users = new Map<string, number>([['octocat', 583231]]);
  public readonly teams = new Map<string, number>([['acme/ml-reviewers', 4242]]);
  public token = 'ghp_faketoken0123456789';
  public readonly authenticatedUser = 'octocat';
  private server?: Server;
  private nextId = 1;

  constructor(public readonly owner = 'acme', public readonly repo = 'churn') {}

  public async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  public fail(method: string, path: RegExp, times: number, response: Fault['response']): void {
    this.faults.push({ method, path, times, response });
  }

  /** Requests that changed something (not GET). */
  public writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf-8');
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method, path, body });

    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.times--;
      if (fault.response === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.response === 'stall') return;
      if (fault.response === 'garbled') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"id": 99, "name": "chu');
        return;
      }
      return send(res, fault.response.status, fault.response.body ?? { message: 'injected fault' }, fault.response.headers);
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return send(res, 401, { message: 'Bad credentials' });
    }
    const result = this.route(method, decodeURIComponent(path), body);
    send(res, result.status, result.body);
  }

  private route(method: string, path: string, body: any): { status: number; body?: unknown } {
    const repo = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/user') return ok({ login: this.authenticatedUser, id: this.users.get(this.authenticatedUser) });
    if (method === 'GET' && (m = path.match(/^\/users\/([^/]+)$/))) {
      const id = this.users.get(m[1]);
      return id ? ok({ login: m[1], id, type: 'User' }) : notFound();
    }
    if (method === 'GET' && (m = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)$/))) {
      const id = this.teams.get(`${m[1]}/${m[2]}`);
      return id ? ok({ id, slug: m[2] }) : notFound();
    }
    if (!path.startsWith(`${repo}`)) return notFound();
    const rest = path.slice(repo.length);

    if (method === 'GET' && rest === '') return ok({ id: 99, name: this.repo, owner: { login: this.owner, id: 77 }, default_branch: 'main' });

    // commit statuses
    if (method === 'POST' && (m = rest.match(/^\/statuses\/([0-9a-f]{40})$/))) {
      if (this.commits.size > 0 && !this.commits.has(m[1])) return { status: 422, body: { message: `No commit found for SHA: ${m[1]}` } };
      const status: FakeStatus = {
        id: this.nextId++, context: body.context, state: body.state, description: body.description, target_url: body.target_url,
      };
      this.statuses.set(m[1], [status, ...(this.statuses.get(m[1]) ?? [])]);
      return { status: 201, body: status };
    }
    if (method === 'GET' && (m = rest.match(/^\/commits\/([^/]+)\/status$/))) {
      const latest = new Map<string, FakeStatus>();
      for (const s of this.statuses.get(m[1]) ?? []) if (!latest.has(s.context)) latest.set(s.context, s);
      return ok({ sha: m[1], state: 'pending', statuses: [...latest.values()], total_count: latest.size });
    }

    // environments
    if ((m = rest.match(/^\/environments\/([^/]+)$/))) {
      const name = m[1];
      if (method === 'GET') {
        const env = this.environments.get(name);
        return env ? ok(environmentBody(env)) : notFound();
      }
      if (method === 'PUT') {
        const env: FakeEnvironment = this.environments.get(name) ?? { name, reviewers: [], deploymentBranchPolicy: null, branchPolicies: [] };
        env.reviewers = body?.reviewers ?? [];
        env.waitTimer = body?.wait_timer;
        env.preventSelfReview = body?.prevent_self_review;
        env.deploymentBranchPolicy = body?.deployment_branch_policy ?? null;
        this.environments.set(name, env);
        return ok(environmentBody(env));
      }
    }
    if ((m = rest.match(/^\/environments\/([^/]+)\/deployment-branch-policies$/))) {
      const env = this.environments.get(m[1]);
      if (!env) return notFound();
      if (method === 'GET') return ok({ total_count: env.branchPolicies.length, branch_policies: env.branchPolicies });
      if (method === 'POST') {
        const policy = { id: this.nextId++, name: body.name, type: body.type ?? 'branch' };
        env.branchPolicies.push(policy);
        return ok(policy);
      }
    }

    // branch protection
    if ((m = rest.match(/^\/branches\/([^/]+)\/protection$/))) {
      const branch = m[1];
      if (method === 'GET') {
        const p = this.protection.get(branch);
        return p ? ok(protectionBody(p)) : { status: 404, body: { message: 'Branch not protected' } };
      }
      if (method === 'PUT') {
        this.protection.set(branch, {
          required_status_checks: body.required_status_checks,
          enforce_admins: body.enforce_admins === true,
          required_pull_request_reviews: body.required_pull_request_reviews,
          restrictions: body.restrictions,
          required_linear_history: body.required_linear_history === true,
        });
        return ok(protectionBody(this.protection.get(branch)!));
      }
    }
    if ((m = rest.match(/^\/branches\/([^/]+)\/protection\/required_status_checks$/))) {
      const p = this.protection.get(m[1]);
      if (!p) return { status: 404, body: { message: 'Branch not protected' } };
      if (method === 'GET') return p.required_status_checks ? ok(p.required_status_checks) : { status: 404, body: { message: 'Required status checks not enabled' } };
      if (method === 'PATCH') {
        p.required_status_checks = {
          strict: body.strict ?? p.required_status_checks?.strict ?? false,
          contexts: body.contexts ?? p.required_status_checks?.contexts ?? [],
        };
        return ok(p.required_status_checks);
      }
    }

    // Actions variables
    if (method === 'POST' && rest === '/actions/variables') {
      if (this.variables.has(body.name)) return { status: 409, body: { message: 'Already exists' } };
      this.variables.set(body.name, body.value);
      return { status: 201, body: {} };
    }
    if ((m = rest.match(/^\/actions\/variables\/([^/]+)$/))) {
      const name = m[1];
      if (method === 'GET') return this.variables.has(name) ? ok({ name, value: this.variables.get(name) }) : notFound();
      if (method === 'PATCH') {
        if (!this.variables.has(name)) return notFound();
        this.variables.set(name, body.value);
        return { status: 204 };
      }
    }
    return notFound();
  }
}

function ok(body: unknown): { status: number; body: unknown } {
  return { status: 200, body };
}

function notFound(): { status: number; body: unknown } {
  return { status: 404, body: { message: 'Not Found' } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = status === 204 || body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function environmentBody(env: FakeEnvironment): unknown {
  return {
    name: env.name,
    deployment_branch_policy: env.deploymentBranchPolicy,
    protection_rules: [
      ...(env.reviewers.length
        ? [{ type: 'required_reviewers', prevent_self_review: env.preventSelfReview ?? false, reviewers: env.reviewers.map((r) => ({ type: r.type, reviewer: { id: r.id } })) }]
        : []),
      ...(env.waitTimer ? [{ type: 'wait_timer', wait_timer: env.waitTimer }] : []),
    ],
  };
}

function protectionBody(p: FakeProtection): unknown {
  return {
    required_status_checks: p.required_status_checks
      ? {
        strict: p.required_status_checks.strict,
        contexts: p.required_status_checks.contexts,
        checks: p.required_status_checks.contexts.map((context) => ({ context, app_id: null })),
      }
      : undefined,
    enforce_admins: { enabled: p.enforce_admins },
    required_pull_request_reviews: p.required_pull_request_reviews ?? undefined,
    restrictions: p.restrictions ?? undefined,
    required_linear_history: { enabled: p.required_linear_history === true },
  };
}
