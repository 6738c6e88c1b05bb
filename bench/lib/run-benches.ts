import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchRow, fmt, load1 } from './verdict';

export interface BenchSpec {
  name: string;
  script: string;
  args: string[];
}

/** `--name value` from the command line, or `def`. */
export function opt(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

/**
 * What `bench:online` and `bench:batch` share: each bench a child process writing its rows to `--json <file>`,
 * the 1-minute load average before and after it (a figure that started above `maxLoad` is marked "under load:
 * rerun"), then one markdown table and one JSON line (`meta` says how the run was asked for).
 */
export function runBenches(
  group: string,
  benches: readonly BenchSpec[],
  o: { only: string; maxLoad: number; meta: Record<string, unknown> },
): void {
  const rows: (BenchRow & { bench: string; loadBefore: number; loadAfter: number; underLoad: boolean })[] = [];
  const failed: string[] = [];
  for (const b of benches) {
    if (o.only && !o.only.split(',').includes(b.name)) continue;
    const file = join(tmpdir(), `sway-bench-${group}-${b.name}-${process.pid}.jsonl`);
    rmSync(file, { force: true });
    const loadBefore = load1();
    const started = Date.now();
    console.log(`\n## ${b.name} (load average ${loadBefore})`);
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', b.script, ...b.args, '--json', file],
      { stdio: 'inherit' },
    );
    const loadAfter = load1();
    console.log(`## ${b.name}: ${Math.round((Date.now() - started) / 1000)} s`);
    if (r.status !== 0) failed.push(`${b.name} (exit ${r.status})`);
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      failed.push(`${b.name} (no result)`);
    }
    for (const l of lines)
      rows.push({
        ...(JSON.parse(l) as BenchRow),
        bench: b.name,
        loadBefore,
        loadAfter,
        underLoad: loadBefore > o.maxLoad,
      });
    rmSync(file, { force: true });
  }
  console.log('\n| path | baseline | product | ratio | target | verdict | load before → after |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const baseline = r.baselineValue === null ? r.baseline : `${fmt(r.baselineValue)} ${r.unit} (${r.baseline})`;
    const ratio = r.ratio === null ? '—' : `${(100 * r.ratio).toFixed(1)} %`;
    const verdict = `${r.met ? 'met' : 'missed'}${r.underLoad ? ' (under load: rerun)' : ''}`;
    console.log(
      `| ${r.path} | ${baseline} | ${fmt(r.product)} ${r.unit} | ${ratio} | ${r.target} | ${verdict} | ${r.loadBefore} → ${r.loadAfter} |`,
    );
  }
  console.log(`\n${JSON.stringify({ at: new Date().toISOString(), ...o.meta, rows, failed })}`);
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}
