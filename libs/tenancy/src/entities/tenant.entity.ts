import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Distribution } from '@cairn/access';
import type { Tlp } from '@cairn/stix';

export type TenantKind = 'member' | 'exchange';
/** The one list of tenant statuses (and of the GraphQL enum TenantStatus). */
export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
/** The one list of attributions (and of the GraphQL enum Attribution). */
export const ATTRIBUTIONS = ['ANONYMOUS', 'NAMED'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

@Entity('tenant')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sectors: string[];

  /** `exchange` is the operator's own tenant; there is at most one. */
  @Column({ type: 'text', default: 'member' })
  kind: TenantKind;

  @Column({ type: 'text', default: 'active' })
  status: TenantStatus;

  @Column({ name: 'default_distribution', type: 'text', default: 'SECTOR' })
  defaultDistribution: Distribution;

  @Column({ name: 'default_tlp', type: 'text', default: 'AMBER' })
  defaultTlp: Tlp;

  @Column({ type: 'text', default: 'ANONYMOUS' })
  attribution: Attribution;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  domains: string[];

  @Column({ name: 'redaction_terms', type: 'text', array: true, default: () => "'{}'" })
  redactionTerms: string[];

  /** The STIX identity used as created_by_ref when the tenant chose to be named. */
  @Column({ name: 'stix_identity_id', type: 'text' })
  stixIdentityId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
