import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CAIRN_CONFIG, Metrics, type CairnConfig } from '@cairn/common';
import { metricsAccess } from './metrics-access';

/** Prometheus text exposition on the public port, when the configuration serves it there (README "Observability"). */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const access = metricsAccess(this.config.metrics, 'public', req.header('authorization'));
    if (access !== 200) {
      res.status(access);
      if (access === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.json({ error: access === 401 ? 'METRICS_TOKEN required' : 'Not found' });
      return;
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
