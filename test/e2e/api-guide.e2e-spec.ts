import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, TestApp, startTestApp } from '../support/test-app';

/**
 * docs/api-guide.md executed top to bottom against a real Sway on a fresh database, so the guide cannot drift from
 * the API: every ```sh block runs in order in one bash (variables carry over, as they would in a reader's shell),
 * under `set -euo pipefail`, and a failing command names its block and shows that block's output.
 */
const GUIDE = join(__dirname, '../../docs/api-guide.md');
const MARK = '::sway-guide-block::';

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  // Asynchronous on purpose: the server answering the guide's curls lives in this very process.
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('docs/api-guide.md', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    dir = mkdtempSync(join(tmpdir(), 'sway-guide-'));
  });

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs top to bottom on a fresh database', async () => {
    const blocks = shellBlocks(readFileSync(GUIDE, 'utf8'));
    expect(blocks.length).toBeGreaterThan(5);
    const script = [
      'set -euo pipefail',
      ...blocks.map((b, i) => `printf '\\n${MARK}${i + 1}\\n'\n${b}`),
      `printf '\\n${MARK}done\\n'`,
    ].join('\n');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const { code, out } = await runBash(script, dir, {
      SWAY_URL: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN,
    });
    const parts = out.split(new RegExp(`^${MARK}`, 'm'));
    const last = parts[parts.length - 1];
    if (code !== 0 || !last.startsWith('done')) {
      const n = last.split('\n', 1)[0];
      throw new Error(
        `guide sh block ${n} failed (exit ${code}):\n--- block ${n} ---\n${blocks[Number(n) - 1] ?? ''}\n` +
          `--- its output ---\n${last.slice(n.length + 1)}`,
      );
    }
  }, 60_000);
});
