import type { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Node refuses to write a header value with a character outside Latin-1 (ERR_INVALID_CHAR), and it throws from
 * inside Fastify's send path, after the route returned: a landing URL with one non-Latin-1 character took the
 * whole process down on the first click, and again after every restart. Stored URLs are ASCII now (see
 * common/validation/url.ts); this onSend hook is the last line for every header Sway writes: a Location is
 * re-serialised to its WHATWG ASCII form, anything else non-ASCII is dropped and logged.
 */
// Only visible ASCII, space and tab: Latin-1 would pass Node but no client decodes it the same way.
const INVALID = /[^\t\x20-\x7e]/;

function asciiUrl(value: string): string {
  try {
    const href = new URL(value).href;
    if (!INVALID.test(href)) return href;
  } catch {
    // not absolute: fall through to percent-encoding
  }
  return value.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

export function safeHeadersHook(logger: Logger) {
  return (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void): void => {
    const headers = reply.getHeaders();
    for (const name in headers) {
      const v = headers[name];
      if (typeof v === 'string' ? !INVALID.test(v) : !Array.isArray(v) || !v.some((x) => INVALID.test(String(x))))
        continue;
      if (name === 'location' && typeof v === 'string') {
        void reply.header('location', asciiUrl(v));
      } else {
        void reply.removeHeader(name);
        logger.warn({ reqId: req.id, header: name }, 'dropped a header value Node cannot send');
      }
    }
    done(null, payload);
  };
}
