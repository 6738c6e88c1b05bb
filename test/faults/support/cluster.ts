import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { PrivateRedis } from '../../support/private-redis';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

/** Newest PostgreSQL server binaries of the Debian layout (/usr/lib/postgresql/<major>/bin). */
function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => existsSync(join(base, d, 'bin', 'initdb'))) : [];
  if (!majors.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  return join(base, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A PostgreSQL cluster of the suite's own (initdb on a temp dir, a free port), so a test may kill and restart it.
 * initdb and pg_ctl refuse to run as root: as root they run as the `postgres` OS user on a directory it owns.
 */
export class PgCluster {
  private readonly bin = pgBin();
  private readonly asRoot = process.getuid?.() === 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'sway-faults-pg-'));
  private readonly data = join(this.dir, 'data');

  private constructor(
    readonly port: number,
    private readonly extraOpts = '',
  ) {}

  static async create(): Promise<PgCluster> {
    const c = new PgCluster(await PrivateRedis.freePort());
    if (c.asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(c.dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await c.pg('initdb', ['-D', c.data, '-U', 'postgres', '-A', 'trust', '-N', '-E', 'UTF8', '--locale=C.UTF-8']);
    await c.start();
    return c;
  }

  private pg(tool: string, args: string[]): Promise<unknown> {
    const exe = join(this.bin, tool);
    return this.asRoot ? run('runuser', ['-u', 'postgres', '--', exe, ...args]) : run(exe, args);
  }

  url(db = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200${this.extraOpts}`;
    await this.pg('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'log'), '-w', '-t', '60', '-o', opts, 'start']);
  }

  /** `immediate`: the server processes are killed without a checkpoint (a crash), recovery runs at start. */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /**
   * A streaming replica of this cluster on another port: pg_basebackup -R (standby.signal plus primary_conninfo)
   * over the replication connection initdb's trust pg_hba allows on 127.0.0.1, then started as a hot standby.
   */
  async replica(): Promise<PgCluster> {
    const r = new PgCluster(await PrivateRedis.freePort(), ' -c hot_standby=on -c max_standby_streaming_delay=5s');
    if (r.asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(r.dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await r.pg('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-D',
      r.data,
      '-R',
      '-X',
      'stream',
    ]);
    await r.start();
    return r;
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Creates `db` and migrates it with the real migrations. */
  async createDatabase(db: string): Promise<void> {
    const admin = new Pool({ connectionString: this.url(), max: 1 });
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/database/migrate.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: this.url(db), TS_NODE_TRANSPILE_ONLY: 'true' },
    });
  }
}

/** One Sway process (ROLE=api or worker) run from source, as production runs it, so it can be killed for real. */
export class SwayProcess {
  private child: ChildProcess | null = null;
  private out = '';
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly role: 'api' | 'worker',
    readonly env: Record<string, string>,
    readonly port = 0,
  ) {}

  get log(): string {
    return this.out;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.out = '';
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        TS_NODE_TRANSPILE_ONLY: 'true',
        ...this.env,
        ROLE: this.role,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Only the tail is kept: it is for the failure message, and request logs under load add up.
    const keep = (d: Buffer): void => {
      this.out = (this.out + d.toString()).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // Generous: from source, on a shared 2-core machine under load, a start has taken over a minute.
    const deadline = Date.now() + 180_000;
    while (!this.out.includes('sway started')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${this.role} did not start:\n${this.out.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }
}
