import { AppException } from '../problem/app.exception';

/**
 * Deeper JSON than any Sway body needs is refused before it is parsed: V8 parses deep nesting fine, but
 * everything after it (class-transformer, class-validator, the idempotency hash) recurses, and a 1 MB body of
 * `[[[[…` cost ~220 ms of CPU and a stack overflow on a public route.
 */
const MAX_JSON_DEPTH = 32;

const OPEN_OBJ = 0x7b;
const OPEN_ARR = 0x5b;
const CLOSE_OBJ = 0x7d;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** One pass over the bytes, brackets inside strings ignored; stops at the first level too deep. */
export function jsonTooDeep(body: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
  }
  return false;
}

export class JsonTooDeep extends AppException {
  constructor() {
    super('malformed_json', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
