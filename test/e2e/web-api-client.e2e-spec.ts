import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TestApp, startTestApp } from '../support/test-app';

const API_DIR = join(__dirname, '..', '..', 'web', 'src', 'api');
const SPEC = join(API_DIR, 'openapi.json');
const TYPES = join(API_DIR, 'schema.d.ts');
const HEADER = '// Generated from Sway’s OpenAPI document by `npm run web:api`; never edit by hand.\n';

/**
 * The web app's typed client is generated from the server's own OpenAPI document. This fails when the API changed
 * without regenerating (`npm run web:api` rewrites both files from the running code).
 */
describe('web API client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('is generated from the current OpenAPI document', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const spec = `${JSON.stringify(res.body, null, 2)}\n`;
    // The CLI, not the library: openapi-typescript's library pulls in ESM-only modules Jest cannot load.
    const dir = mkdtempSync(join(tmpdir(), 'sway-openapi-'));
    writeFileSync(join(dir, 'openapi.json'), spec);
    const cli = spawnSync(
      process.execPath,
      [
        join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js'),
        join(dir, 'openapi.json'),
        '-o',
        join(dir, 'schema.d.ts'),
      ],
      { encoding: 'utf8' },
    );
    if (cli.status !== 0) throw new Error(`openapi-typescript failed: ${cli.stderr}`);
    const types = HEADER + readFileSync(join(dir, 'schema.d.ts'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    if (process.env.UPDATE_WEB_API === '1') {
      writeFileSync(SPEC, spec);
      writeFileSync(TYPES, types);
    }
    const hint = 'the API changed: run `npm run web:api` and commit web/src/api';
    expect({ hint, current: readFileSync(SPEC, 'utf8') === spec }).toEqual({ hint, current: true });
    expect({ hint, current: readFileSync(TYPES, 'utf8') === types }).toEqual({ hint, current: true });
  });
});
