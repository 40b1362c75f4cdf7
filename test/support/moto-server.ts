import { ChildProcess, spawn } from 'child_process';
import { accessSync, constants } from 'fs';
import { createServer } from 'net';
import { delimiter, join } from 'path';

/** A moto server (AWS services in memory) on a free local port, started and stopped by the test run. */
export interface MotoServer {
  readonly endpoint: string;
  /** Forgets every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Settings every SDK client of a moto test uses: the server, a region, credentials moto accepts. */
export function motoClientConfig(endpoint: string, region = 'eu-west-1') {
  return { endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}

/** The moto_server executable on PATH, if any. */
export function motoServerPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether moto tests can run; says why not (once per file) when they cannot. */
export function motoAvailable(): boolean {
  const found = motoServerPath() !== undefined;
  if (!found) console.log('moto_server is not on PATH (scripts/install.sh installs moto[server] with pip where PyPI is reachable): the moto integration tests are skipped');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts moto_server and waits until it answers (at most `timeoutMs`). */
export async function startMoto(timeoutMs = 60_000): Promise<MotoServer> {
  const executable = motoServerPath();
  if (!executable) throw new Error('moto_server is not on PATH');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${endpoint}/moto-api/data.json`))) {
    if (exited) throw new Error(`moto_server exited before it answered:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer within ${timeoutMs / 1000} s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    reset: async () => {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
    },
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
