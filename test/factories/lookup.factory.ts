import { randomUUID } from 'node:crypto';
import { IntelService, type SharingRequest } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import type { TestApp } from '../support/test-app';
import { machineViewer } from './tenancy.factory';

export const T0 = '2025-03-01T00:00:00.000Z';

export function newIndicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: T0,
    modified: T0,
    pattern,
    pattern_type: 'stix',
    valid_from: T0,
    ...extra,
  };
}

/** Stores docs as `tenant`; LookupModule's store hook indexes them in the same transaction. */
export async function publishIndexed(
  api: TestApp,
  tenant: TenantEntity,
  docs: Array<Record<string, unknown>>,
  sharing: SharingRequest,
): Promise<void> {
  await api.app.get(IntelService).storeObjects(machineViewer(tenant), docs, sharing);
}
