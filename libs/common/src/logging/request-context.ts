import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request values that log lines pick up without being passed around. */
export interface RequestContext {
  requestId: string;
  tenantId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
