import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L or U/V: a code is read aloud, typed from a video caption, or copied from a screenshot. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
const GROUPS = 2;
const GROUP_LEN = 4;

/** `XXXX-XXXX` from a CSPRNG: 29^8 ≈ 5·10^11 codes, unique in the database (a collision is retried). */
export function generateRedemptionCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let s = '';
    for (let i = 0; i < GROUP_LEN; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}

/** How people type it back: any case, with or without the dash or spaces. */
export function normalizeRedemptionCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (raw.length !== GROUPS * GROUP_LEN) return null;
  if (![...raw].every((c) => CODE_ALPHABET.includes(c))) return null;
  return `${raw.slice(0, GROUP_LEN)}-${raw.slice(GROUP_LEN)}`;
}
