import { BenchSpec, opt, runBenches } from './lib/run-benches';

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

const BENCHES: BenchSpec[] = [
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
    args: ['--members', scoringMembers, ...(reuse ? ['--db', `sway_bench_batch_scoring_${scoringMembers}`] : [])],
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

runBenches('batch', BENCHES, { only, maxLoad, meta: { quick, reuse } });
