import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Issue #12 (1): an error that escapes every handler is logged; the process keeps running (Node would exit). */
it('logs an uncaught exception and an unhandled rejection and keeps the process alive', async () => {
  const root = join(__dirname, '../../..');
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(root, 'test/support/process-guards-child.ts')],
      { cwd: root, timeout: 20_000 },
      (_err, out) => resolve({ code: child.exitCode, stdout: out }),
    );
  });
  expect(stdout).toContain('uncaught exception (process kept running)');
  expect(stdout).toContain('unhandled promise rejection (process kept running)');
  expect(stdout).toContain('still serving');
  expect(stdout).not.toContain('alice@example.com');
  expect(code).toBe(0);
});
