import { createHash, timingSafeEqual } from 'node:crypto';
import type { CairnConfig } from '@cairn/common';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether a scrape may read /metrics: 200, 401 (METRICS_TOKEN is set and the request does not
 * carry it as `Authorization: Bearer <token>`), or 404 (not served here: see CairnConfig.metrics).
 */
export function metricsAccess(
  config: CairnConfig['metrics'],
  where: 'public' | 'metrics-port',
  authorization: string | undefined,
): 200 | 401 | 404 {
  if (where === 'public' && !config.onPublicPort) return 404;
  if (config.token === undefined) return 200;
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
  // Compared as digests: constant time, whatever the lengths.
  return timingSafeEqual(sha256(presented), sha256(config.token)) ? 200 : 401;
}
