import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

/** Counts requests in flight, so shutdown can wait for them before the database goes away. */
export class InFlight {
  private active = 0;

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.active++;
    res.once('close', () => this.active--);
    next();
  };

  get count(): number {
    return this.active;
  }
}

/**
 * SIGTERM: stop accepting connections, let requests in flight finish (up to timeoutMs), then close
 * subscriptions (with graphql-ws's "going away") and the database. Nest's own close() would tear
 * down the database first, failing the very requests it should drain.
 */
export async function gracefulShutdown(app: INestApplication, inFlight: InFlight, timeoutMs: number): Promise<{ drained: boolean }> {
  const server = app.getHttpServer() as Server;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = Date.now() + timeoutMs;
  while (inFlight.count > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const drained = inFlight.count === 0;
  await app.close();
  server.closeAllConnections();
  await stopped;
  return { drained };
}
