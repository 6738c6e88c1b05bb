import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** One line of `npm run bench:online` / `bench:batch`: a product figure beside its same-run baseline. */
export interface BenchRow {
  path: string;
  baseline: string;
  baselineValue: number | null;
  product: number;
  unit: string;
  /** product / baseline for throughput rows; null where the target is absolute (latency, memory). */
  ratio: number | null;
  target: string;
  met: boolean;
  note?: string;
}

/** Each bench script appends its rows to `--json <file>` when the orchestrator asks, and prints them anyway. */
export function emitRows(rows: BenchRow[]): void {
  const i = process.argv.indexOf('--json');
  const file = i >= 0 ? process.argv[i + 1] : undefined;
  for (const r of rows) {
    console.log(
      `${r.met ? 'MET ' : 'MISS'} ${r.path}: ${fmt(r.product)} ${r.unit}` +
        (r.baselineValue !== null ? ` vs ${r.baseline} ${fmt(r.baselineValue)}` : '') +
        (r.ratio !== null ? ` (${(100 * r.ratio).toFixed(1)} %)` : '') +
        `; target ${r.target}`,
    );
  }
  if (file) appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

export const load1 = (): number => Math.round(loadavg()[0] * 100) / 100;
