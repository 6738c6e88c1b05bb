import type { Logger } from 'pino';

/**
 * The last line behind every request, hook and job handler (each of which answers or retries its own errors):
 * an error that still escapes — a callback throwing outside any promise chain, a promise nobody awaited — is
 * logged and the process keeps serving. Node's default (exit on an unhandled rejection or exception) would let
 * one bad input stop every request in flight, and again after each restart if the input is stored.
 */
export function installProcessGuards(log: Logger, proc: NodeJS.Process = process): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection (process kept running)');
  });
  proc.on('uncaughtException', (err: Error, origin: string) => {
    log.error({ err, origin }, 'uncaught exception (process kept running)');
  });
}
