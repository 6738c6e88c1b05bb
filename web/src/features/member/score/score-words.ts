import type { Schemas } from '../../../api/client';

type Factor = Schemas['FactorDto'];
type History = Schemas['ScoreHistoryDto'];

export const FACTOR_LABELS: Record<Factor['name'], string> = {
  reach: 'Reach',
  amplification: 'Amplification',
  network: 'Network',
  audience: 'Audience',
};

export function contributionWords(f: Factor): string {
  const pts = Math.abs(f.contribution).toFixed(1);
  return f.contribution >= 0 ? `adds ${pts} points` : `takes away ${pts} points`;
}

export const REASON_WORDS: Record<History['reason'], string> = {
  first_score: 'Your first score',
  daily: 'Daily update (a score moves at most −2 / +3 points a day)',
  manual: 'Recomputed by Sway on request',
  fraud: 'Reactions from bots or engagement pods were removed',
  model_change: 'Sway’s scoring model changed version',
  contest: 'Corrected after your contest',
};

export interface ModelChange {
  at: string;
  from: string | null;
  to: string;
}

/** Where the model version changes along the history; these are marked on the chart and explained. */
export function modelChanges(history: History[]): ModelChange[] {
  const out: ModelChange[] = [];
  let prev: string | null = null;
  for (const h of history) {
    if (h.reason === 'model_change' || (prev !== null && h.modelVersion !== prev))
      out.push({ at: h.at, from: prev, to: h.modelVersion });
    prev = h.modelVersion;
  }
  return out;
}
