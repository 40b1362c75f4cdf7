import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto_server on a free loopback port, started and stopped by the test that needs it. */
export class MotoServer {
  public static async start(): Promise<MotoServer> {
    const port = await freePort();
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const server = new MotoServer(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await fetch(`${server.endpoint}/moto-api/`);
        if (r.ok) return server;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
      if (Date.now() > deadline) {
        child.kill();
        throw new Error('moto_server did not start within 30 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private constructor(private readonly child: ChildProcess, public readonly endpoint: string) {}

  /** Client settings for this server. */
  public get clientConfig() {
    return { endpoint: this.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  }

  public async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
