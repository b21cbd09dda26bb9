import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import {
  beginWith,
  inBeginWithTransaction,
  runAhead,
  DbTrust,
  TLP_RED_RULE,
  setViewer,
  textLiteral,
  uuidLiteral,
  tlpAllowedWith,
  viewerSettingsSql,
  type AccessScope,
  type Distribution,
  type StatementAhead,
} from '@cairn/access';
import { CAIRN_CONFIG, isUuid, type CairnConfig, type Viewer } from '@cairn/common';
import { isTlp, TLP_LEVELS_IN_WORDS, type Tlp } from '@cairn/stix';
import { ReplicaReads, type ReadPosition } from '@cairn/database';
import { AuditService } from '@cairn/audit';
import { Attribution, TenantEntity, TenantKind, TenantStatus } from './entities/tenant.entity';
import { isCountryCode, isSector, unknownSectorMessage } from './sectors';
import { checkName, checkSlug } from './names';
import { ANY_SECTOR, assignCells, type CrowdCell } from './crowd';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';

interface ScopeRow {
  country: string;
  sectors: string[];
  groups: string[];
}

export interface NewTenant {
  slug: string;
  name: string;
  country: string;
  sectors: string[];
  kind?: TenantKind;
  domains?: string[];
  defaultDistribution?: Distribution;
  defaultTlp?: Tlp;
  attribution?: Attribution;
  redactionTerms?: string[];
}

/** What a tenant's own admin may change. */
export interface TenantSettingsPatch {
  defaultDistribution?: Distribution;
  defaultTlp?: Tlp;
  attribution?: Attribution;
  redactionTerms?: string[];
  domains?: string[];
}

/** What the exchange operator may change. */
export interface TenantProfilePatch {
  name?: string;
  country?: string;
  sectors?: string[];
}

/** One read of the membership and the cells worked out from it, at one crowd generation. */
interface CrowdSnapshot {
  generation: string;
  /** Every active member tenant's cell; null when the whole community has fewer than k members. */
  cells: Map<string, CrowdCell | null>;
}

@Injectable()
export class TenancyService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly trust: DbTrust,
    private readonly reads: ReplicaReads,
  ) {}

  private crowd?: CrowdSnapshot;
  /** Per transaction beginWith opened (its query runner, made for that transaction alone): the crowd read first there. */
  private readonly crowdOfTransaction = new WeakMap<object, Promise<CrowdSnapshot>>();

  /**
   * The sector + area cell a tenant reports under (small-crowd protection, `assignCells`), or
   * null when it may not be described at all: it is not an active member, or the community is
   * smaller than k. Computed from the membership as it is now: one read of the crowd generation
   * (a counter every membership change moves), and the membership again only when it moved.
   * Inside a transaction, pass its manager: nothing here then waits for a second pool connection
   * (which, with a busy pool, would wait on writers waiting on the feed lock).
   */
  async cellFor(tenantId: string, m?: EntityManager): Promise<CrowdCell | null> {
    return (await this.crowdSnapshot(m)).cells.get(tenantId) ?? null;
  }

  /** Every active member's cell, as now (the identities of these cells are published at start-up). */
  async allMemberCells(m?: EntityManager): Promise<CrowdCell[]> {
    return [...(await this.crowdSnapshot(m)).cells.values()].filter((c): c is CrowdCell => c !== null);
  }

  /**
   * The crowd as it is now; within a transaction beginWith opened (asViewer's, every store path's),
   * as it was at its first read there: one transaction's statements place its rows in the cells of
   * one membership (and read the generation once, not once per store hook). No such transaction
   * changes the membership itself: tenant rows are written in transactions of their own, which read
   * no crowd. Any other transaction reads the crowd every time.
   */
  private crowdSnapshot(m?: EntityManager): Promise<CrowdSnapshot> {
    if (!m?.queryRunner || !inBeginWithTransaction(m)) return this.readCrowd(m);
    const held = this.crowdOfTransaction.get(m.queryRunner);
    if (held) return held;
    const read = this.readCrowd(m);
    this.crowdOfTransaction.set(m.queryRunner, read);
    // A failed read is not kept: the transaction is aborted anyway.
    read.catch(() => this.crowdOfTransaction.delete(m.queryRunner!));
    return read;
  }

  private async readCrowd(m?: EntityManager): Promise<CrowdSnapshot> {
    const db = m ?? this.dataSource;
    const [{ generation }]: Array<{ generation: string }> = await db.query(`SELECT generation::text AS generation FROM crowd_generation`);
    if (this.crowd?.generation === generation) return this.crowd;
    const rows = await db
      .getRepository(TenantEntity)
      .find({ where: { kind: 'member', status: 'active' }, select: { id: true, country: true, sectors: true, createdAt: true } });
    const snapshot: CrowdSnapshot = {
      generation,
      cells: assignCells(
        rows.map((r) => ({ id: r.id, country: r.country, sector: r.sectors[0] ?? ANY_SECTOR, joined: r.createdAt.toISOString() })),
        this.config.kAnonymity,
      ),
    };
    // Read under one snapshot of a READ COMMITTED transaction or of autocommit statements: a change
    // that commits between the two reads moves the generation again, and the next call re-reads.
    this.crowd = snapshot;
    return snapshot;
  }

  countTenants(): Promise<number> {
    return this.tenants.count({ where: { kind: 'member' } });
  }

  /** Validates and inserts tenants in one statement (all or none); returns them. */
  async createTenants(list: NewTenant[], actor?: Viewer): Promise<TenantEntity[]> {
    if (list.length === 0) return [];
    list.forEach((t) => this.validateNewTenant(t));
    const slugs = list.map((t) => t.slug);
    if (new Set(slugs).size !== slugs.length)
      throw new TenancyError(TenancyErrorCode.SLUG_TAKEN, 'Slugs repeat within the request', 'slug');
    const taken = await this.tenants.find({ where: { slug: In(slugs) }, select: { slug: true } });
    if (taken.length) throw new TenancyError(TenancyErrorCode.SLUG_TAKEN, `Tenant slug already in use: ${taken[0].slug}`, 'slug');
    if (list.some((t) => t.kind === 'exchange') && (await this.tenants.exists({ where: { kind: 'exchange' } }))) {
      throw new TenancyError(TenancyErrorCode.EXCHANGE_EXISTS, 'The exchange tenant already exists', 'kind');
    }
    // Row-level security admits new tenants from the operator only (the CLI and demo seeding act as the operator).
    const created = await this.trust.asActor(actor, async (m) => {
      const rows = list.map((t) =>
        m.create(TenantEntity, {
          slug: t.slug,
          name: t.name.trim(),
          country: t.country,
          sectors: [...new Set(t.sectors)],
          kind: t.kind ?? 'member',
          domains: (t.domains ?? []).map((d) => d.trim().toLowerCase()),
          defaultDistribution: t.defaultDistribution ?? 'SECTOR',
          defaultTlp: t.defaultTlp ?? 'AMBER',
          attribution: t.attribution ?? 'ANONYMOUS',
          redactionTerms: t.redactionTerms ?? [],
        }),
      );
      const saved = await m.save(TenantEntity, rows, { chunk: 500 });
      await this.audit.record(
        saved.map((t) => ({
          action: 'tenant.created' as const,
          tenantId: t.id,
          viewer: actor,
          targetType: 'tenant',
          targetId: t.id,
          details: { slug: t.slug },
        })),
        m,
      );
      return saved;
    });
    return created;
  }

  async createTenant(input: NewTenant, actor?: Viewer): Promise<TenantEntity> {
    return (await this.createTenants([input], actor))[0];
  }

  async getTenant(id: string, m?: EntityManager): Promise<TenantEntity> {
    const tenant = await (m ? m.getRepository(TenantEntity) : this.tenants).findOne({ where: { id } });
    if (!tenant) throw new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, 'No such tenant', 'id');
    return tenant;
  }

  /** The exchange's own tenant (operator staff, shared identities), created on first use. */
  async exchangeTenant(): Promise<TenantEntity> {
    const existing = await this.tenants.findOne({ where: { kind: 'exchange' } });
    if (existing) return existing;
    // Start-up bookkeeping of the exchange itself: the one insert of a tenant not asked for by an operator.
    await this.trust.asOperator((m) =>
      m
        .getRepository(TenantEntity)
        .createQueryBuilder()
        .insert()
        .values({ slug: 'cairn-exchange', name: 'Cairn exchange', country: 'NL', sectors: [], kind: 'exchange' })
        .orIgnore()
        .updateEntity(false)
        .execute(),
    );
    return (await this.tenants.findOne({ where: { kind: 'exchange' } }))!;
  }

  async getTenantBySlug(slug: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findOne({ where: { slug } });
    if (!tenant) throw new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, `No tenant with slug "${slug}"`, 'slug');
    return tenant;
  }

  /** Tenants by id, in one query; unknown ids are simply absent. */
  findTenants(ids: readonly string[]): Promise<TenantEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.tenants.find({ where: { id: In(valid) } }) : Promise.resolve([]);
  }

  listTenants(opts: { kind?: TenantKind } = {}): Promise<TenantEntity[]> {
    return this.tenants.find({ where: opts.kind ? { kind: opts.kind } : {}, order: { slug: 'ASC' } });
  }

  /** The members that chose to be named whose STIX identity is one of `identityIds` (an export names only those it references). */
  namedMembers(identityIds: readonly string[]): Promise<TenantEntity[]> {
    if (identityIds.length === 0) return Promise.resolve([]);
    return this.tenants.find({
      where: { kind: 'member', attribution: 'NAMED', stixIdentityId: In([...identityIds]) },
      order: { slug: 'ASC' },
    });
  }

  /** The operator's change of a tenant's identity (name, country, sectors). */
  async updateProfile(tenantId: string, patch: TenantProfilePatch, actor: Viewer): Promise<TenantEntity> {
    const tenant = await this.getTenant(tenantId);
    if (patch.country !== undefined) this.validateCountry(patch.country);
    if (patch.sectors !== undefined) this.validateSectors(patch.sectors);
    Object.assign(tenant, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.sectors !== undefined ? { sectors: [...new Set(patch.sectors)] } : {}),
    });
    return this.saveWithAudit(tenant, 'tenant.updated', actor, { fields: Object.keys(patch) });
  }

  /** A tenant admin's change of its own defaults, attribution and redaction terms. */
  async updateSettings(tenantId: string, patch: TenantSettingsPatch, actor: Viewer): Promise<TenantEntity> {
    const tenant = await this.getTenant(tenantId);
    const next = { ...tenant, ...stripUndefined(patch) };
    checkDefaults(next.defaultTlp, next.defaultDistribution);
    if (patch.redactionTerms?.some((t) => t.trim().length < 2)) {
      throw new TenancyError(TenancyErrorCode.INVALID_DEFAULTS, 'Redaction terms need at least 2 characters', 'redactionTerms');
    }
    Object.assign(tenant, stripUndefined({ ...patch, domains: patch.domains?.map((d) => d.trim().toLowerCase()) }));
    return this.saveWithAudit(tenant, 'tenant.updated', actor, { fields: Object.keys(stripUndefined(patch)) });
  }

  /** `actor` undefined: the operator CLI. */
  async setStatus(tenantId: string, status: TenantStatus, actor?: Viewer): Promise<TenantEntity> {
    const tenant = await this.getTenant(tenantId);
    tenant.status = status;
    return this.saveWithAudit(tenant, status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated', actor, {});
  }

  /**
   * The body of a CTE of the member tenants' ids (`id`; tenant_pkey): the exchange's own tenant is
   * no reporter. For one statement that counts reporters beside its own tables (the identifier lookup).
   */
  static memberTenantIdsSql(): string {
    return `SELECT t.id FROM tenant t WHERE t.kind = 'member'`;
  }

  /** The facts the access rule needs about a tenant, read fresh (one query). */
  async accessScope(tenantId: string): Promise<AccessScope> {
    return this.readScope(this.dataSource, tenantId, false);
  }

  /**
   * The access scopes of several tenants in one query (unknown ids are left out), read with `m`
   * when given: what deciding whom a named audience still reaches needs (references never widen).
   * `activeOnly` leaves suspended tenants out too: what telling tenants something needs.
   */
  async accessScopes(tenantIds: readonly string[], m?: EntityManager, activeOnly = false): Promise<Map<string, AccessScope>> {
    const out = new Map<string, AccessScope>();
    if (tenantIds.length === 0) return out;
    const rows: Array<{ id: string; country: string; sectors: string[]; groups: string[] }> = await (m ?? this.dataSource).query(
      `SELECT t.id, t.country, t.sectors, coalesce(array_agg(g.group_id::text ORDER BY g.group_id) FILTER (WHERE g.group_id IS NOT NULL), '{}') AS groups
         FROM tenant t LEFT JOIN sharing_group_member g ON g.tenant_id = t.id
        WHERE t.id = ANY ($1::uuid[]) AND (NOT $2 OR t.status = 'active')
        GROUP BY t.id`,
      [[...new Set(tenantIds)], activeOnly],
    );
    for (const r of rows) out.set(r.id, { tenantId: r.id, country: r.country, sectors: r.sectors, groupIds: r.groups });
    return out;
  }

  /**
   * The one way to open a viewer transaction: runs fn in one transaction whose row-level-security
   * viewer is the tenant, with its access scope. Given a tenant id, the scope is read and set as the
   * viewer in one statement; given a scope read before (a publication prepared against it outside
   * the transaction), that scope is set as it is, so the transaction sees what was prepared for.
   * The settings are transaction-local, so a pooled connection never carries them into another request.
   */
  asViewer<T>(viewer: string | AccessScope, fn: (manager: EntityManager, scope: AccessScope) => Promise<T>): Promise<T> {
    // The viewer statement rides with BEGIN (one round trip, beginWith); an id that is no UUID takes the parameterised path.
    if (typeof viewer === 'string' && isUuid(viewer)) {
      return beginWith(this.dataSource, this.scopeSql(uuidLiteral(viewer), true), (m, rows: ScopeRow[]) =>
        fn(m, this.scopeOf(viewer, rows)),
      );
    }
    if (typeof viewer !== 'string' && isUuid(viewer.tenantId)) {
      const settings = viewerSettingsSql(
        `${uuidLiteral(viewer.tenantId)}::text`,
        textLiteral(viewer.country),
        textLiteral(viewer.sectors.join(',')),
        textLiteral(viewer.groupIds.join(',')),
      );
      return beginWith(this.dataSource, `SELECT ${settings}`, (m) => fn(m, viewer));
    }
    return this.dataSource.transaction(async (m) => {
      if (typeof viewer === 'string') return fn(m, await this.readScope(m, viewer, true));
      await setViewer(m, viewer);
      return fn(m, viewer);
    });
  }

  /**
   * asViewer(tenantId) with a statement of its own ahead of the transaction (autocommitted, on the
   * primary), sent in the same round trip as the BEGIN (beginWith's `before`): `ahead.check` gets
   * its rows, once, before fn runs, and may throw, and then fn does not run. A lookup's quota charge.
   */
  asViewerAfter<T, B>(
    ahead: StatementAhead<B>,
    tenantId: string,
    fn: (manager: EntityManager, scope: AccessScope) => Promise<T>,
  ): Promise<T> {
    if (!isUuid(tenantId)) return runAhead(this.dataSource, ahead).then(() => this.asViewer(tenantId, fn));
    return beginWith(
      this.dataSource,
      this.scopeSql(uuidLiteral(tenantId), true),
      (m, rows: ScopeRow[], before: B[]) => {
        ahead.check(before);
        return fn(m, this.scopeOf(tenantId, rows));
      },
      ahead.statement,
    );
  }

  /** asViewerReading with `ahead` as asViewerAfter has it; with a replica, the statement goes to the primary first, on its own. */
  async asViewerReadingAfter<T, B>(
    path: string,
    ahead: StatementAhead<B>,
    tenantId: string,
    fn: (manager: EntityManager, scope: AccessScope) => Promise<T>,
    since?: ReadPosition,
  ): Promise<T> {
    if (!this.reads.routing) return this.asViewerAfter(ahead, tenantId, fn);
    await runAhead(this.dataSource, ahead);
    return this.asViewerReading(path, tenantId, fn, since);
  }

  /**
   * asViewer for a read that may be served by a streaming replica (ReplicaReads): there when it has
   * replayed everything the primary had as the call began, else on the primary. The same viewer,
   * scope and row-level security either way. `path` names the read (a constant). Only for reads
   * whose fn writes nothing and does not read the feed order for a subscriber.
   */
  asViewerReading<T>(
    path: string,
    tenantId: string,
    fn: (manager: EntityManager, scope: AccessScope) => Promise<T>,
    since?: ReadPosition,
  ): Promise<T> {
    // Without a replica every read is the primary's: asViewer, whose scope statement rides with BEGIN.
    if (!this.reads.routing) return this.asViewer(tenantId, fn);
    return this.reads.run(path, async (m) => fn(m, await this.readScope(m, tenantId, true)), since);
  }

  /** Now, as a position an asViewerReading must see (`since`), for a read that first writes what it does not read. */
  readPosition(): Promise<ReadPosition | undefined> {
    return this.reads.position();
  }

  // The settings this statement makes take effect after its rows are read, so a policy on these
  // tables would see no viewer here: tenant rows are the exchange directory, readable by every
  // viewer (policy tenant_directory), and sharing_group_member has no row-level security.
  private async readScope(db: DataSource | EntityManager, tenantId: string, setAsViewer: boolean): Promise<AccessScope> {
    return this.scopeOf(tenantId, await db.query(this.scopeSql('$1', setAsViewer), [tenantId]));
  }

  private scopeSql(tenantId: string, setAsViewer: boolean): string {
    const groups = `coalesce(array_agg(m.group_id::text ORDER BY m.group_id) FILTER (WHERE m.group_id IS NOT NULL), '{}')`;
    return `SELECT t.country, t.sectors, ${groups} AS groups
              ${setAsViewer ? `, ${viewerSettingsSql('t.id::text', 't.country', `array_to_string(t.sectors, ',')`, `array_to_string(${groups}, ',')`)}` : ''}
         FROM tenant t LEFT JOIN sharing_group_member m ON m.tenant_id = t.id
        WHERE t.id = ${tenantId}
        GROUP BY t.id`;
  }

  private scopeOf(tenantId: string, rows: ScopeRow[]): AccessScope {
    if (rows.length === 0) throw new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, 'No such tenant', 'tenantId');
    return { tenantId, country: rows[0].country, sectors: rows[0].sectors, groupIds: rows[0].groups };
  }

  private async saveWithAudit(
    tenant: TenantEntity,
    action: 'tenant.updated' | 'tenant.suspended' | 'tenant.reactivated',
    actor: Viewer | undefined,
    details: Record<string, unknown>,
  ) {
    // The operator may change any tenant; a tenant admin only its own (policy tenant_update).
    const saved = await this.trust.asActor(actor, async (m) => {
      const row = await m.save(TenantEntity, tenant);
      await this.audit.record({ action, tenantId: tenant.id, viewer: actor, targetType: 'tenant', targetId: tenant.id, details }, m);
      return row;
    });
    return saved;
  }

  private validateNewTenant(t: NewTenant): void {
    checkSlug(t.slug);
    checkName(t.name);
    this.validateCountry(t.country);
    this.validateSectors(t.sectors);
    if (t.defaultTlp !== undefined) checkDefaults(t.defaultTlp, t.defaultDistribution ?? 'SECTOR');
  }

  private validateCountry(country: string): void {
    if (!isCountryCode(country))
      throw new TenancyError(TenancyErrorCode.INVALID_COUNTRY, 'Country must be an ISO 3166-1 alpha-2 code such as "DE"', 'country');
  }

  private validateSectors(sectors: string[]): void {
    const bad = sectors.find((s) => !isSector(s));
    if (bad !== undefined) throw new TenancyError(TenancyErrorCode.INVALID_SECTOR, unknownSectorMessage(bad), 'sectors');
  }
}

/** A tenant's default TLP must be a TLP level, and one its default distribution allows. */
function checkDefaults(tlp: Tlp, distribution: Distribution): void {
  if (!isTlp(tlp)) throw new TenancyError(TenancyErrorCode.INVALID_DEFAULTS, `defaultTlp must be ${TLP_LEVELS_IN_WORDS}`, 'defaultTlp');
  if (!tlpAllowedWith(tlp, distribution)) throw new TenancyError(TenancyErrorCode.INVALID_DEFAULTS, TLP_RED_RULE, 'defaultTlp');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
