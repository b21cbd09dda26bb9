import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type TenantKind = 'member' | 'exchange';
export type TenantStatus = 'active' | 'suspended';
export type Distribution = 'ORGANISATION' | 'RECIPIENTS' | 'SHARING_GROUP' | 'SECTOR' | 'COMMUNITY';
export type TlpLevel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
export type Attribution = 'ANONYMOUS' | 'NAMED';

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
  defaultTlp: TlpLevel;

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
