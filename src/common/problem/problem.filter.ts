import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem';

/** Raised by the idempotency interceptor to send a stored response verbatim, whatever the route's status. */
export class ReplayResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    // An Error so that a stack survives if anything but the filter ever sees it.
    super('idempotent replay');
  }
}

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  if (err instanceof ReplayResponse) {
    void reply.status(err.status).header('idempotent-replayed', 'true').send(err.body);
    return;
  }
  const { problem, headers, unexpected } = toProblem(err);
  if (unexpected) {
    logger.error({ err, reqId: req.id, route: req.routeOptions?.url }, 'unhandled error');
  }
  problem.requestId = String(req.id);
  if (headers) void reply.headers(headers);
  if (problem.status === 401 && !reply.hasHeader('www-authenticate')) void reply.header('www-authenticate', 'Bearer');
  void reply.status(problem.status).type('application/problem+json').send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendProblem(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>(), this.logger);
  }
}
