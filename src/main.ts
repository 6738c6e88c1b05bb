import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createSwayApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { PinoNestLogger, createPino } from './common/logging/logger';
import { preflight } from './common/startup/startup';
import { installProcessGuards } from './common/logging/process-guards';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`sway: invalid configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const pino = createPino(config.logLevel);
  installProcessGuards(pino);
  const logger = new PinoNestLogger(pino);
  await preflight(config, pino);
  const app = await createSwayApp(config, logger, pino);
  if (config.role !== 'worker') {
    await (app as NestFastifyApplication).listen(config.port, config.host);
  }
  pino.info({ role: config.role, port: config.role === 'worker' ? undefined : config.port }, 'sway started');

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    pino.info({ signal }, 'shutting down: draining requests and active jobs');
    // Bounded: a job that will not finish must not keep a deploy waiting forever; BullMQ retries it.
    setTimeout(() => {
      pino.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    if (config.role !== 'worker') {
      // server.close() drops only the keep-alive sockets idle at that instant; a socket whose request was still
      // in flight turns idle later and would hold the process until keepAliveTimeout (72 s).
      const server = (app as NestFastifyApplication).getHttpServer();
      setInterval(() => server.closeIdleConnections(), 100).unref();
    }
    app.close().then(
      () => {
        pino.info('shutdown complete');
        pino.flush();
        process.exit(0);
      },
      (err: unknown) => {
        pino.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`sway: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
