import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../libs/database/src/embedded-postgres';

/** A PostgreSQL server of the test's own, which the test can stop and start again (fault tests). */
export class ControllablePostgres {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'cairn-fault-pg-'));
  readonly password = 'fault-test';

  private constructor(readonly port: number) {
    chmodSync(this.dir, 0o777);
  }

  static async create(): Promise<ControllablePostgres> {
    const pg = new ControllablePostgres(await freePort());
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgres://postgres:${this.password}@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(__dirname, 'pg-child.js'), join(this.dir, 'data'), String(this.port), this.password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => reject(new Error(`postgres child exited (${code}): ${err}`)));
    });
  }

  /** Stops the server (fast shutdown: open connections are cut, as in a real restart). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
