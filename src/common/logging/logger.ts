import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import { scrubForLog } from './scrub';

/**
 * One pino instance for Nest and Fastify. Every logged object and message goes through `scrubForLog` (a hook
 * on every log call, not a list of paths): sensitive keys are censored at any depth, personal data and secrets
 * are masked inside free text, and database errors are reduced to SQLSTATE, constraint and query name — a
 * query's parameters and PostgreSQL's DETAIL carry emails, names and hashes that erasure could never reach.
 */
export function createPino(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((a) => scrubForLog(a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message && typeof message === 'object' && !(message instanceof Error)) {
      const msg = typeof rest[0] === 'string' ? rest[0] : undefined;
      this.pino[level]({ context, ...message }, msg);
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
    // Nest passes (message, stack, context) for a string message; (object, msg, context) keeps its msg.
    const isObject = !!message && typeof message === 'object' && !(message instanceof Error);
    this.write('error', message, !isObject && rest.length > 1 ? rest.slice(1) : rest);
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
