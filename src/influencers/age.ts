/** The westernmost civil time zone (Baker Island, UTC−12): the last place on Earth where a given day is still today. */
const EARLIEST_OFFSET_MS = -12 * 3600_000;

/**
 * 18 or older on `now`'s calendar date at UTC−12, i.e. an adult everywhere on Earth: checking the UTC date would
 * admit, for up to 12 hours, someone who is still 17 where they live (their birthday has not reached them yet).
 * Someone born on 29 February becomes an adult on 1 March in non-leap years: when in doubt, later, never earlier.
 */
export function isAdultOn(dateOfBirth: string, now: Date): boolean {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const eighteenth = new Date(Date.UTC(y + 18, m - 1, d));
  const there = new Date(now.getTime() + EARLIEST_OFFSET_MS);
  const today = Date.UTC(there.getUTCFullYear(), there.getUTCMonth(), there.getUTCDate());
  return eighteenth.getTime() <= today;
}
