import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { Metrics } from '@cairn/common';
import { tlpMarkingRef } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { machineViewer, newTenant } from '../../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../../test/support/service-context';
import { BundleRejectedError } from '../intel.errors';
import { IntelStoreHooks } from '../store-hooks';
import { PublishService } from './publish.service';
import type { SharingRequest } from '../sharing';

/**
 * Publishing checks a bundle before it takes the feed lock and rechecks under the lock that nothing
 * it read has changed (PublishService.store, lockAndRecheck). Each case stops one publish after its
 * checks (in a prepare hook, which runs after them and before the lock), lets another write commit,
 * then lets it go on: a write that touched what was checked sends it back to be checked again under
 * the lock, with the outcome a publish that had waited for the lock from the start would have had.
 */
describe('publishing: checked before the feed lock, rechecked under it (libs/intel)', () => {
  let ctx: ServiceContext;
  let owner: Client;
  let publishing: PublishService;
  /** Store attempts (PublishService.store: checks, then the locked insert) per publishing tenant. */
  const attempts = new Map<string, number>();
  /** The next store attempt of this tenant stops in the hook until released. */
  let stop: { tenantId: string; reached: () => void; gate: Promise<void> } | undefined;

  beforeAll(async () => {
    ctx = await startServiceContext();
    owner = await ctx.owner();
    publishing = ctx.app.get(PublishService);
    const store = (publishing as unknown as { store: (...args: unknown[]) => Promise<unknown> }).store;
    jest.spyOn(publishing as unknown as { store: typeof store }, 'store').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const tenantId = (args[1] as { tenantId: string }).tenantId;
      attempts.set(tenantId, (attempts.get(tenantId) ?? 0) + 1);
      return store.apply(this, args);
    });
    ctx.app.get(IntelStoreHooks).registerPrepare(async (_m, audience) => {
      if (stop?.tenantId !== audience.publisherTenantId) return;
      const { reached, gate } = stop;
      stop = undefined;
      reached();
      await gate;
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const T0 = '2025-03-01T00:00:00.000Z';
  const T1 = '2025-03-02T00:00:00.000Z';
  const indicator = (id: string, modified = T0) => ({
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: T0,
    modified,
    pattern: `[ipv4-addr:value = '198.51.100.${1 + (id.charCodeAt(11) % 200)}']`,
    pattern_type: 'stix',
    valid_from: T0,
  });
  /** A new indicator and a relationship from it to `target`. */
  const relatedTo = (target: string) => {
    const source = `indicator--${randomUUID()}`;
    const rel = `relationship--${randomUUID()}`;
    const relationship = {
      type: 'relationship',
      spec_version: '2.1',
      id: rel,
      created: T0,
      modified: T0,
      relationship_type: 'related-to',
      source_ref: source,
      target_ref: target,
    };
    return { source, rel, relationship };
  };
  const bundle = (...objects: object[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
  const publish = (t: TenantEntity, b: object, sharing: SharingRequest = { distribution: 'COMMUNITY', tlp: 'GREEN' }) =>
    publishing.publishBundle(machineViewer(t), b, sharing);

  /** Starts `first`, stopped after its checks; runs `meanwhile` to the end; then lets `first` go on and returns its result. */
  async function interleaved<T>(
    tenant: TenantEntity,
    first: () => Promise<T>,
    meanwhile: () => Promise<unknown>,
  ): Promise<PromiseSettledResult<T>> {
    let reached!: () => void;
    const atStop = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    stop = { tenantId: tenant.id, reached, gate: new Promise<void>((r) => (release = r)) };
    const running = first().then(
      (value) => ({ status: 'fulfilled' as const, value }),
      (reason: unknown) => ({ status: 'rejected' as const, reason }),
    );
    await atStop;
    await meanwhile();
    release();
    return running;
  }

  /** cairn_publish_rechecks_refused_total. */
  const refusals = async () => (await ctx.app.get(Metrics).publishRechecksRefused.get()).values.reduce((n, v) => n + v.value, 0);
  const publishersOf = async (id: string) =>
    (await owner.query(`SELECT DISTINCT publisher_tenant_id::text AS p FROM stix_object WHERE id = $1`, [id])).rows.map(
      (r) => r.p as string,
    );

  it('another member stores the same SDO meanwhile: the recheck sends the publish back, and it is NOT_OWNER, storing nothing', async () => {
    const refusedBefore = await refusals();
    const [a, b] = [await newTenant(ctx.app), await newTenant(ctx.app)];
    const id = `indicator--${randomUUID()}`;
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(id))),
      () => publish(b, bundle(indicator(id))),
    );
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason as BundleRejectedError;
    expect(err).toBeInstanceOf(BundleRejectedError);
    expect(err.issues.map((i) => i.code)).toEqual(['NOT_OWNER']);
    expect(await publishersOf(id)).toEqual([b.id]);
    expect(attempts.get(a.id)).toBe(2);
    expect(await refusals()).toBe(refusedBefore + 1);
  });

  it('the SDO is stored meanwhile by a member who shares it with no one: NOT_OWNER all the same, and nothing of it shown', async () => {
    const [a, b] = [await newTenant(ctx.app), await newTenant(ctx.app)];
    const id = `indicator--${randomUUID()}`;
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(id))),
      () => publish(b, bundle(indicator(id)), { distribution: 'ORGANISATION', tlp: 'RED' }),
    );
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason as BundleRejectedError;
    expect(err.issues.map((i) => i.code)).toEqual(['NOT_OWNER']);
    expect(JSON.stringify(err.issues)).not.toContain(b.id);
    expect(await publishersOf(id)).toEqual([b.id]);
    expect(attempts.get(a.id)).toBe(2);
  });

  it('the same member stores the same version meanwhile: checked again, it is UNCHANGED, not CREATED twice', async () => {
    const a = await newTenant(ctx.app);
    const id = `indicator--${randomUUID()}`;
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(id))),
      async () => expect((await publish(a, bundle(indicator(id)))).created).toBe(1),
    );
    expect(result.status).toBe('fulfilled');
    const summary = (result as PromiseFulfilledResult<Awaited<ReturnType<PublishService['publishBundle']>>>).value;
    expect({ created: summary.created, unchanged: summary.unchanged }).toEqual({ created: 0, unchanged: 1 });
    expect((await owner.query(`SELECT count(*)::int AS n FROM stix_object WHERE id = $1`, [id])).rows[0].n).toBe(1);
    // The stopped publish twice, the one in between once.
    expect(attempts.get(a.id)).toBe(3);
  });

  it('what it references gets a narrower version meanwhile: checked again, the reference narrows what it stores', async () => {
    const [a, b] = [await newTenant(ctx.app, { sectors: ['energy'] }), await newTenant(ctx.app, { sectors: ['energy'] })];
    const target = `indicator--${randomUUID()}`;
    await publish(b, bundle(indicator(target)));
    const { source, rel, relationship } = relatedTo(target);
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(source), relationship)),
      () => publish(b, bundle(indicator(target, T1)), { distribution: 'SECTOR', sectors: ['energy'], tlp: 'GREEN' }),
    );
    expect(result.status).toBe('fulfilled');
    const stored = await owner.query(`SELECT id, distribution FROM stix_object WHERE id = ANY ($1) ORDER BY id`, [[source, rel]]);
    expect(Object.fromEntries(stored.rows.map((r) => [r.id, r.distribution]))).toEqual({ [source]: 'COMMUNITY', [rel]: 'SECTOR' });
    expect(attempts.get(a.id)).toBe(2);
  });

  it('what it references gets a wider version meanwhile: checked again, it is no longer narrowed, and its marking is the TLP asked for', async () => {
    const [a, b] = [await newTenant(ctx.app, { sectors: ['energy'] }), await newTenant(ctx.app, { sectors: ['energy'] })];
    const target = `indicator--${randomUUID()}`;
    await publish(b, bundle(indicator(target)), { distribution: 'SECTOR', sectors: ['energy'], tlp: 'AMBER' });
    const { source, rel, relationship } = relatedTo(target);
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(source), relationship)),
      () => publish(b, bundle(indicator(target, T1))),
    );
    expect(result.status).toBe('fulfilled');
    const summary = (result as PromiseFulfilledResult<Awaited<ReturnType<PublishService['publishBundle']>>>).value;
    expect(summary.objects.find((o) => o.id === rel)?.reason).toBeUndefined();
    const { rows } = await owner.query(`SELECT distribution, tlp, doc->'object_marking_refs' AS markings FROM stix_object WHERE id = $1`, [
      rel,
    ]);
    expect(rows).toEqual([{ distribution: 'COMMUNITY', tlp: 'GREEN', markings: [tlpMarkingRef('GREEN')] }]);
    expect(attempts.get(a.id)).toBe(2);
  });

  it('an unrelated write meanwhile does not send it back', async () => {
    const refusedBefore = await refusals();
    const [a, b] = [await newTenant(ctx.app), await newTenant(ctx.app)];
    const id = `indicator--${randomUUID()}`;
    const result = await interleaved(
      a,
      () => publish(a, bundle(indicator(id))),
      () => publish(b, bundle(indicator(`indicator--${randomUUID()}`))),
    );
    expect(result.status).toBe('fulfilled');
    expect(await publishersOf(id)).toEqual([a.id]);
    expect(attempts.get(a.id)).toBe(1);
    expect(await refusals()).toBe(refusedBefore);
  });
});
