import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchRow, fmt, load1 } from './lib/verdict';

/**
 * `npm run bench:online`: every online target in sequence, each bench on its own database, each product figure
 * beside its baseline measured in the same run; one table (path, baseline, product, ratio, target, verdict) and
 * JSON. Run it ALONE on the machine: the 1-minute load average is recorded before and after each bench, and a
 * figure whose load before exceeded `--max-load` (default 1.5 on 2 cores) is marked "under load" — rerun it.
 *
 *   npm run bench:online [-- --quick] [--max-load 1.5] [--only claims,redirect,report,route,memory]
 */
const quick = process.argv.includes('--quick');
const maxLoad = Number(opt('max-load', '1.5'));
const only = opt('only', '');

const BENCHES: { name: string; script: string; args: string[] }[] = [
  { name: 'claims', script: 'bench/claims.ts', args: ['--seconds', quick ? '5' : '10'] },
  {
    name: 'redirect',
    script: 'bench/redirect.ts',
    args: ['--seconds', quick ? '4' : '8', '--rounds', '3', '--connections', '64'],
  },
  {
    name: 'report',
    script: 'bench/report.ts',
    args: quick
      ? ['--clicks', '1000000', '--conversions', '100000', '--requests', '300']
      : ['--clicks', '10000000', '--conversions', '1000000', '--requests', '1000'],
  },
  { name: 'route', script: 'bench/nest-route.ts', args: ['--seconds', quick ? '4' : '8', '--rounds', '3'] },
  { name: 'memory', script: 'bench/memory.ts', args: ['--minutes', quick ? '2' : '10'] },
];

function opt(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

function main(): void {
  const rows: (BenchRow & { bench: string; loadBefore: number; loadAfter: number; underLoad: boolean })[] = [];
  const failed: string[] = [];
  for (const b of BENCHES) {
    if (only && !only.split(',').includes(b.name)) continue;
    const file = join(tmpdir(), `sway-bench-${b.name}-${process.pid}.jsonl`);
    rmSync(file, { force: true });
    const loadBefore = load1();
    console.log(`\n## ${b.name} (load average ${loadBefore})`);
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', b.script, ...b.args, '--json', file],
      {
        stdio: 'inherit',
      },
    );
    const loadAfter = load1();
    if (r.status !== 0) failed.push(`${b.name} (exit ${r.status})`);
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      failed.push(`${b.name} (no result)`);
    }
    for (const l of lines) {
      rows.push({
        ...(JSON.parse(l) as BenchRow),
        bench: b.name,
        loadBefore,
        loadAfter,
        underLoad: loadBefore > maxLoad,
      });
    }
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
  console.log(`\n${JSON.stringify({ at: new Date().toISOString(), quick, rows, failed })}`);
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
