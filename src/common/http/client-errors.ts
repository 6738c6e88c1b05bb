import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problemFor } from '../problem/problem';

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers too large, a malformed request line,
 * a request that took too long): answered as problem+json like every other error, and without echoing any of
 * the input (Fastify's default writes its own JSON shape).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? problemFor('headers_too_large', 'The request line and headers exceed what this API accepts')
      : err.code === 'HPE_URI_TOO_LONG'
        ? problemFor('uri_too_long', 'The request URI is longer than this API accepts')
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? problemFor('request_timeout', 'The request took too long to arrive')
          : problemFor('bad_request', 'The request is not valid HTTP');
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
