import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../src/database/typeorm.options';
import { hmacPads } from '../src/scoring/keyed-hash';
import { MODEL_V1, MODEL_VERSION, ModelParams } from '../src/scoring/model-v1';
import { ScoringRepository } from '../src/scoring/scoring.repository';
import { hashSecretFromEnv } from './synth/writer';

export function arg(name: string, def?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : def;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

export async function connect(url: string): Promise<{ ds: DataSource; repo: ScoringRepository }> {
  const ds = new DataSource(typeOrmOptions(url, { poolSize: 2, applicationName: 'sway-bench' }));
  await ds.initialize();
  return { ds, repo: new ScoringRepository(ds) };
}

/** One full scoring run exactly as the worker does it (same repository, same SQL), timed. */
export async function scoreRun(
  ds: DataSource,
  repo: ScoringRepository,
  asOf: Date,
  trigger: 'manual' | 'daily' = 'daily',
  model: ModelParams = MODEL_V1,
): Promise<{ ms: number; scored: number; stats: Record<string, number> }> {
  const [run] = await ds.query(
    `INSERT INTO score_runs (trigger, model_version, as_of, status, started_at) VALUES ($1, $2, $3, 'running', now()) RETURNING id`,
    [trigger, MODEL_VERSION, asOf],
  );
  const t0 = performance.now();
  const r = await repo.executeRun(run.id, asOf, trigger, model, MODEL_VERSION, hmacPads(hashSecretFromEnv()));
  return { ms: performance.now() - t0, ...r };
}

export function spearman(x: number[], y: number[]): number {
  const rank = (v: number[]): number[] => {
    const idx = v.map((val, i) => [val, i] as [number, number]).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
      for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mx = rx.reduce((s, v) => s + v, 0) / rx.length;
  const my = ry.reduce((s, v) => s + v, 0) / ry.length;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i] - mx) * (ry[i] - my);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}

/** Kendall's τ-b on a deterministic sample of at most `max` items (O(n²)). */
export function kendall(x: number[], y: number[], max = 4000): number {
  const step = Math.max(1, Math.floor(x.length / max));
  const xs = x.filter((_, i) => i % step === 0);
  const ys = y.filter((_, i) => i % step === 0);
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const a = Math.sign(xs[i] - xs[j]);
      const b = Math.sign(ys[i] - ys[j]);
      if (a === 0 && b === 0) continue;
      if (a === 0) tx++;
      else if (b === 0) ty++;
      else if (a === b) c++;
      else d++;
    }
  }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function topOverlap(a: number[], b: number[], k = 100): number {
  const top = (v: number[]): Set<number> =>
    new Set(
      v
        .map((val, i) => [val, i] as [number, number])
        .sort((p, q) => q[0] - p[0] || p[1] - q[1])
        .slice(0, k)
        .map((p) => p[1]),
    );
  const ta = top(a);
  let n = 0;
  for (const i of top(b)) if (ta.has(i)) n++;
  return n;
}
