import { Injectable } from '@nestjs/common';
import { TenancyError, TenancyErrorCode, TenancyService, type TenantEntity, type TenantKind, type TenantStatus } from '@cairn/tenancy';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  kind: TenantKind;
  status: TenantStatus;
}

function summary(t: TenantEntity): TenantSummary {
  return { id: t.id, slug: t.slug, name: t.name, kind: t.kind, status: t.status };
}

/** The few tenant facts authentication needs, read through TenancyService (the tenancy module's door). */
@Injectable()
export class TenantDirectory {
  constructor(private readonly tenancy: TenancyService) {}

  async findById(id: string): Promise<TenantSummary | null> {
    const [tenant] = await this.tenancy.findTenants([id]);
    return tenant ? summary(tenant) : null;
  }

  async findBySlug(slug: string): Promise<TenantSummary | null> {
    try {
      return summary(await this.tenancy.getTenantBySlug(slug));
    } catch (err) {
      if (err instanceof TenancyError && err.reason === TenancyErrorCode.TENANT_NOT_FOUND) return null;
      throw err;
    }
  }
}
