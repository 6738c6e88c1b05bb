import { HttpException } from '@nestjs/common';
import { AppException, FieldError, PROBLEM_CODES, ProblemCode } from './app.exception';
import { isDatabaseUnavailable } from './unavailable';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
}

const PROBLEM_TYPE_BASE = 'https://sway.dev/problems/';

export function problemFor(code: ProblemCode, detail: string, errors?: FieldError[]): Problem {
  const { status, title } = PROBLEM_CODES[code];
  return {
    type: PROBLEM_TYPE_BASE + code.replace(/_/g, '-'),
    title,
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

function codeForStatus(status: number): ProblemCode {
  const hit = (Object.keys(PROBLEM_CODES) as ProblemCode[]).find((c) => PROBLEM_CODES[c].status === status);
  return hit ?? (status >= 500 ? 'internal' : 'bad_request');
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  validation?: unknown;
  message?: string;
}

/**
 * Turns anything thrown into a problem. Only AppException details and a few known framework errors are
 * shown to the client; anything else becomes a generic 500 so internal messages never leak.
 */
export function toProblem(err: unknown): { problem: Problem; headers?: Record<string, string>; unexpected: boolean } {
  if (err instanceof AppException) {
    return { problem: problemFor(err.code, err.detail, err.errors), headers: err.headers, unexpected: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = codeForStatus(status);
    const detail =
      status === 404
        ? 'No such resource'
        : status === 405
          ? 'Method not allowed on this resource'
          : PROBLEM_CODES[code].title;
    return { problem: problemFor(code, detail), unexpected: status >= 500 };
  }
  const fe = err as FastifyLikeError;
  if (fe && typeof fe === 'object' && typeof fe.code === 'string' && fe.code.startsWith('FST_')) {
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return { problem: problemFor('payload_too_large', 'Request body exceeds 1 MB'), unexpected: false };
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return {
          problem: problemFor('unsupported_media_type', 'Send JSON with Content-Type: application/json'),
          unexpected: false,
        };
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return { problem: problemFor('malformed_json', 'The request body is not valid JSON'), unexpected: false };
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return { problem: problemFor('malformed_json', 'The JSON body is empty'), unexpected: false };
      case 'FST_ERR_MAX_PARAM_LENGTH':
        return {
          problem: problemFor('uri_too_long', 'A path segment is longer than this API accepts'),
          unexpected: false,
        };
      case 'FST_ERR_BAD_URL':
        return { problem: problemFor('bad_request', 'The URL is not validly encoded'), unexpected: false };
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return { problem: problemFor('bad_request', 'Content-Length does not match the body'), unexpected: false };
    }
  }
  if (err instanceof SyntaxError || (fe && typeof fe.statusCode === 'number' && fe.statusCode === 400)) {
    return { problem: problemFor('malformed_json', 'The request body is not valid JSON'), unexpected: false };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = codeForStatus(fe.statusCode);
    return { problem: problemFor(code, PROBLEM_CODES[code].title), unexpected: false };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      problem: problemFor('unavailable', 'A backing service is unavailable; retry shortly'),
      headers: { 'retry-after': '2' },
      unexpected: false,
    };
  }
  return { problem: problemFor('internal', 'Something went wrong on our side; it has been logged'), unexpected: true };
}
