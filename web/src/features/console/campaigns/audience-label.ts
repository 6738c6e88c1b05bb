/** The audience endpoint's answer as the console words it: exact counts as they are, estimates as "about N". */
export function audienceLabel(a: { eligible: number; exact: boolean; relativeErrorBound: number }): string {
  if (a.exact) return a.eligible.toLocaleString('en-US');
  // Three significant figures: the bound is ±2 % at most, so further digits would claim a precision it lacks.
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, a.eligible))) - 2);
  return `about ${(Math.round(a.eligible / step) * step).toLocaleString('en-US')}`;
}

/** The stated bound of an estimate, for the note under it; null for an exact count. */
export function audienceBound(a: { exact: boolean; relativeErrorBound: number }): string | null {
  return a.exact ? null : `±${(100 * a.relativeErrorBound).toFixed(1)} % at 95 % confidence`;
}
