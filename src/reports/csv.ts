/**
 * RFC 4180 fields: quoted when they hold a comma, quote, CR or LF, quotes doubled. Text that a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR at the start: OWASP's CSV injection advice) gets a leading apostrophe;
 * numbers are written as numbers.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (fields: (string | number | boolean | null | undefined)[]): string =>
  `${fields.map(csvField).join(',')}\r\n`;
