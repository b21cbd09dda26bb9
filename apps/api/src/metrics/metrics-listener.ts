import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CAIRN_CONFIG, JsonLogger, Metrics, type CairnConfig } from '@cairn/common';
import { metricsAccess } from './metrics-access';

/**
 * With METRICS_PORT, /metrics is served by its own listener (METRICS_HOST, default HOST) and not
 * on the public port, so a firewall or network policy can keep the scrape to the monitoring
 * network. METRICS_TOKEN, when set, is required here too. Serves nothing else.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly logger: JsonLogger,
  ) {}

  /** The port it listens on (METRICS_PORT=0 picks a free one), or undefined when there is no listener. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    // The CLI's application context has no HTTP server, and then no metrics listener either.
    if (port === undefined || !this.adapterHost.httpAdapter?.getHttpServer()) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics listening on ${host}:${this.port}`, 'Metrics');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
    const access =
      path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')
        ? metricsAccess(this.config.metrics, 'metrics-port', req.headers.authorization)
        : 404;
    if (access !== 200) {
      res.writeHead(access, {
        'Content-Type': 'application/json',
        ...(access === 401 ? { 'WWW-Authenticate': 'Bearer realm="metrics"' } : {}),
      });
      res.end(JSON.stringify({ error: access === 401 ? 'METRICS_TOKEN required' : 'Not found' }));
      return;
    }
    try {
      const body = await this.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.error(err instanceof Error ? err : String(err), 'Metrics');
      res.writeHead(500).end();
    }
  }
}
