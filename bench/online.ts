import { BenchSpec, opt, runBenches } from './lib/run-benches';

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

const BENCHES: BenchSpec[] = [
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

runBenches('online', BENCHES, { only, maxLoad, meta: { quick } });
