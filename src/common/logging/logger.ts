import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * One pino instance for Nest and Fastify. Redaction covers credentials and personal data wherever they
 * might appear in a logged object; messages themselves carry ids and durations, never emails or names.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["idempotency-key"]',
  '*.password',
  '*.email',
  '*.token',
  '*.accessToken',
  '*.apiKey',
  '*.dateOfBirth',
  '*.shippingAddress',
  '*.displayName',
  'password',
  'email',
  'accessToken',
  'apiKey',
];

export function createPino(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'sway' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message && typeof message === 'object' && !(message instanceof Error)) {
      const msg = typeof rest[0] === 'string' ? (rest[0] as string) : undefined;
      this.pino[level]({ context, ...(message as object) }, msg);
    } else if (message instanceof Error) {
      this.pino[level]({ context, err: message });
    } else {
      this.pino[level]({ context }, String(message));
    }
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context); keep the stack in the log, never in a response.
    this.write('error', message, rest.length > 1 ? rest.slice(1) : rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}
