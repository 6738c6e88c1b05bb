/**
 * 18 or older on `today` (UTC calendar date). Someone born on 29 February becomes an adult on 1 March in
 * non-leap years: when in doubt, later, never earlier.
 */
export function isAdultOn(dateOfBirth: string, today: Date): boolean {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const eighteenth = new Date(Date.UTC(y + 18, m - 1, d));
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return eighteenth.getTime() <= todayUtc;
}
