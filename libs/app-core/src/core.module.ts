import { DynamicModule, Global, Module } from '@nestjs/common';
import { CAIRN_CONFIG, JsonLogger, Metrics, type CairnConfig } from '@cairn/common';
import { DbTrust } from '@cairn/access';

export interface CoreInput {
  config: CairnConfig;
  logger: JsonLogger;
  metrics: Metrics;
}

/**
 * The process-wide providers every domain module injects, whichever app hosts it (API or CLI):
 * the validated config, the logger, the metrics registry and DbTrust. Global, as the domains take
 * them for granted; each app adds its own door-specific providers beside it.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ config, logger, metrics }: CoreInput): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CAIRN_CONFIG, useValue: config },
        { provide: JsonLogger, useValue: logger },
        { provide: Metrics, useValue: metrics },
        DbTrust,
      ],
      exports: [CAIRN_CONFIG, JsonLogger, Metrics, DbTrust],
    };
  }
}
