import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, type CairnConfig } from '../config/config';
import { rateLimited } from '../auth/auth-errors';
import type { Viewer } from '../auth/viewer';
import { TokenBuckets } from './token-bucket';

/** Per-tenant and per-credential request budgets; the guard charges one request each time it lets one through. */
@Injectable()
export class RequestLimiter {
  private readonly tenants: TokenBuckets;
  private readonly principals: TokenBuckets;

  constructor(@Inject(CAIRN_CONFIG) config: CairnConfig) {
    this.tenants = new TokenBuckets(config.limits.tenantRequestsPerMinute);
    this.principals = new TokenBuckets(config.limits.principalRequestsPerMinute);
  }

  /** Throws RATE_LIMITED (with retryAfterSeconds) when the tenant or the key/user is over budget. */
  charge(viewer: Viewer): void {
    const principal = viewer.apiKeyId ?? viewer.userId ?? viewer.tenantId;
    const wait = Math.max(this.principals.take(principal), this.tenants.take(viewer.tenantId));
    if (wait > 0) throw rateLimited(wait);
  }
}
