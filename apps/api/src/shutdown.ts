import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

/**
 * Counts requests in flight, so shutdown can wait for them before the database goes away. While
 * draining, a request that still arrives (on a connection kept alive from before) is answered with
 * `Connection: close`, and /health with 503: server.close() stops new connections only, so without
 * this a load balancer's health check on a kept-alive connection reads "healthy" until the drain
 * ends, and keeps sending work to an instance that is going away.
 */
export class InFlight {
  private active = 0;
  private draining = false;

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      // As Express routes it: any case, trailing slashes ignored.
      if (req.path.replace(/\/+$/, '').toLowerCase() === '/health') {
        res.status(503).json({ status: 'draining' });
        return;
      }
    }
    this.active++;
    res.once('close', () => this.active--);
    next();
  };

  get count(): number {
    return this.active;
  }

  startDraining(): void {
    this.draining = true;
  }
}

/**
 * SIGTERM: stop accepting connections, let requests in flight finish (up to timeoutMs), then close
 * subscriptions (with graphql-ws's "going away") and the database. Nest's own close() would tear
 * down the database first, failing the very requests it should drain.
 */
export async function gracefulShutdown(app: INestApplication, inFlight: InFlight, timeoutMs: number): Promise<{ drained: boolean }> {
  const server = app.getHttpServer() as Server;
  inFlight.startDraining();
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
