import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl } from './lib/bench-db';
import { BenchRow, fmt, load1 } from './lib/verdict';

/**
 * `npm run bench:batch`: every batch target in sequence (matching waves and audience, scoring, worker memory),
 * each bench on its own databases, each product figure beside its baseline measured in the same run; one table
 * (path, baseline, product, ratio, target, verdict, load) and JSON, as `npm run bench:online` does. Run it ALONE:
 * a figure whose 1-minute load average before exceeded `--max-load` (default 1.5 on 2 cores) is marked
 * "under load" — rerun it.
 *
 *   npm run bench:batch [-- --quick] [--reuse] [--members N] [--max-load 1.5] [--only matching,scoring,worker-memory]
 *
 * `--members N` sets the matching and scoring populations (default 1,000,000 and 100,000; `--quick` 20,000);
 * `--reuse` passes each script its `--db` option with a fixed name, so the population is built once and kept:
 * sway_bench_batch_matching_<N>, sway_bench_batch_scoring_<N>, sway_bench_batch_worker_<size> (drop them by hand).
 */
const quick = process.argv.includes('--quick');
const reuse = process.argv.includes('--reuse');
const maxLoad = Number(opt('max-load', '1.5'));
const only = opt('only', '');
const members = opt('members', '');
const matchingMembers = members || (quick ? '20000' : '1000000');
const scoringMembers = members || (quick ? '20000' : '100000');

const BENCHES: { name: string; script: string; args: string[] }[] = [
  {
    name: 'matching',
    script: 'bench/matching.ts',
    args: [
      '--members',
      matchingMembers,
      '--runs',
      quick ? '3' : '7',
      ...(reuse ? ['--db', `sway_bench_batch_matching_${matchingMembers}`] : []),
    ],
  },
  {
    name: 'scoring',
    script: 'bench/scoring.ts',
    args: [
      '--members',
      scoringMembers,
      ...(reuse ? ['--db', databaseUrl(`sway_bench_batch_scoring_${scoringMembers}`)] : []),
    ],
  },
  {
    name: 'worker-memory',
    script: 'bench/worker-memory.ts',
    args: [
      '--sizes',
      quick ? '2000,20000' : '10000,100000',
      ...(reuse ? ['--db-prefix', 'sway_bench_batch_worker'] : []),
    ],
  },
];

function opt(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

function main(): void {
  const rows: (BenchRow & { bench: string; loadBefore: number; loadAfter: number; underLoad: boolean })[] = [];
  const failed: string[] = [];
  for (const b of BENCHES) {
    if (only && !only.split(',').includes(b.name)) continue;
    const file = join(tmpdir(), `sway-bench-batch-${b.name}-${process.pid}.jsonl`);
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
  console.log(`\n${JSON.stringify({ at: new Date().toISOString(), quick, reuse, rows, failed })}`);
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
