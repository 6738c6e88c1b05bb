import { Transform } from 'class-transformer';

/**
 * The WHATWG serialisation of an absolute URL: punycode host, percent-encoded path, query and fragment — pure
 * ASCII, so it can go into a Location header (Node refuses anything outside Latin-1 there and threw from
 * inside the redirect) and reads the same to every client. Null when `raw` is not an absolute URL.
 */
export function toAsciiUrl(raw: string): string | null {
  try {
    return new URL(raw.trim()).href;
  } catch {
    return null;
  }
}

/**
 * On a DTO field: the value is stored and echoed in its ASCII form. A string that is not a URL is only trimmed,
 * so the field's own validator names the problem.
 */
export const NormalizeUrl = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (toAsciiUrl(value) ?? value.trim()) : value,
  );
