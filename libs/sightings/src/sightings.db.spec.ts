import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { CairnError } from '@cairn/common';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { cellIdentityId, type TenantEntity } from '@cairn/tenancy';
import { machineViewer, newGroup, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { SightingsService, type SightingReport } from './sightings.service';

/** SightingsService.report on the real store: what it refuses (and names), and the audience of what it stores. */
describe('SightingsService.report on the real database (libs/sightings)', () => {
  let ctx: ServiceContext;
  let owner: Client;
  let sightings: SightingsService;
  let intel: IntelService;
  /** A publishes what B sights; C is a third member (k = 3), outside A and B's group. */
  let a: TenantEntity;
  let b: TenantEntity;
  let c: TenantEntity;
  let groupId: string;
  const subject: Record<string, string> = {};

  async function publish(label: string, sharing: SharingRequest): Promise<void> {
    const id = `indicator--${randomUUID()}`;
    const doc = {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: label,
      pattern: "[email-addr:value = 'x@example.org']",
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    };
    await intel.storeObjects(machineViewer(a), [doc], sharing);
    subject[label] = id;
  }
  const sightingCount = async () =>
    (await owner.query(`SELECT count(*)::int AS n FROM stix_object WHERE type = 'sighting'`)).rows[0].n as number;
  const report = (over: Partial<SightingReport> = {}): SightingReport => ({
    sightingOf: subject.community,
    firstSeen: '2025-06-02T09:00:00.000Z',
    ...over,
  });
  /** The CairnError report() threw, as a client would see its code and details. */
  async function refusal(p: Promise<unknown>): Promise<{ code: string; details: unknown }> {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as CairnError | undefined;
    if (!err) throw new Error('expected report() to be refused');
    return { code: err.code, details: err.details };
  }

  beforeAll(async () => {
    ctx = await startServiceContext();
    owner = await ctx.owner();
    sightings = ctx.app.get(SightingsService);
    intel = ctx.app.get(IntelService);
    a = await newTenant(ctx.app, { name: 'Acme Payroll Ltd', country: 'US', sectors: ['technology'] });
    b = await newTenant(ctx.app, { name: 'Bluebird Health', country: 'DE', sectors: ['healthcare'] });
    groupId = await newGroup(ctx.app, a, [b]);
    await publish('community', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await publish('group', { distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId });
    await publish('recipients', { distribution: 'RECIPIENTS', tlp: 'RED', recipientTenantIds: [b.id] });
    await publish('organisation', { distribution: 'ORGANISATION', tlp: 'AMBER' });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  describe('with fewer than k members', () => {
    it('refuses with NO_CELL and stores nothing: no cell could describe the reporter without singling it out', async () => {
      const before = await sightingCount();
      expect(await refusal(sightings.report(machineViewer(b), [report()]))).toEqual({
        code: 'BAD_USER_INPUT',
        details: { reason: 'NO_CELL', field: 'sightings' },
      });
      expect(await sightingCount()).toBe(before);
    });
  });

  describe('with k members', () => {
    beforeAll(async () => {
      c = await newTenant(ctx.app, { country: 'FR', sectors: ['insurance'] });
    });

    it.each<[string, Partial<SightingReport>, string]>([
      ['a subject that is no STIX id', { sightingOf: 'indicator--nope' }, 'sightingOf'],
      ['a first sighting that is no UTC timestamp', { firstSeen: '2025-06-02 09:00' }, 'firstSeen'],
      ['a first sighting in the future', { firstSeen: '2999-01-01T00:00:00Z' }, 'firstSeen'],
      ['a last sighting before the first', { lastSeen: '2025-06-01T09:00:00Z' }, 'lastSeen'],
      ['a negative count', { count: -1 }, 'count'],
      ['a fractional confidence', { confidence: 50.5 }, 'confidence'],
      ['an interview stage not in the vocabulary', { interviewStage: 'coffee' as never }, 'interviewStage'],
      ['a role category not in the vocabulary', { roleCategory: 'astronaut' as never }, 'roleCategory'],
      ['a hiring channel not in the vocabulary', { hiringChannel: 'pigeon' as never }, 'hiringChannel'],
    ])('refuses %s, naming the field of the report at its position, and stores none of the batch', async (_, bad, field) => {
      const before = await sightingCount();
      expect(await refusal(sightings.report(machineViewer(b), [report(), report(bad)]))).toEqual({
        code: 'BAD_USER_INPUT',
        details: { reason: 'INVALID_SIGHTING', field: `sightings[1].${field}` },
      });
      expect(await sightingCount()).toBe(before);
    });

    it('answers the same NOT_FOUND for an object one may not see as for one that does not exist', async () => {
      const missing = `indicator--${randomUUID()}`;
      const hidden = await refusal(sightings.report(machineViewer(c), [report(), report({ sightingOf: subject.group })]));
      const absent = await refusal(sightings.report(machineViewer(c), [report(), report({ sightingOf: missing })]));
      expect(hidden).toEqual({ code: 'NOT_FOUND', details: { reason: 'UNKNOWN_SUBJECT', field: 'sightings[1].sightingOf' } });
      expect(absent).toEqual(hidden);
    });

    it("stores the reporter's default sharing for a community subject, naming only its cell", async () => {
      const [stored] = await sightings.report(machineViewer(b), [report()]);
      // A tenant's defaults: its own sectors at TLP:AMBER (stricter than the CLEAR subject, so nothing narrows).
      expect(stored).toMatchObject({ distribution: 'SECTOR', tlp: 'AMBER', narrowed: false });
      const { rows } = await owner.query('SELECT publisher_tenant_id, distribution, audience_sectors, doc FROM stix_object WHERE id = $1', [
        stored.id,
      ]);
      expect(rows[0]).toMatchObject({ publisher_tenant_id: b.id, distribution: 'SECTOR', audience_sectors: ['healthcare'] });
      const doc = rows[0].doc as Record<string, unknown>;
      expect(doc.where_sighted_refs).toEqual([cellIdentityId(stored.cell)]);
      expect(doc.created_by_ref).toBeUndefined();
      // Nothing in the document names the reporter.
      const text = JSON.stringify(doc);
      for (const trace of [b.id, b.slug, b.name]) expect(text).not.toContain(trace);
      // The cell's identity is published to everyone, so the reference resolves.
      const cell = await owner.query('SELECT distribution FROM stix_object WHERE id = $1', [cellIdentityId(stored.cell)]);
      expect(cell.rows).toEqual([{ distribution: 'COMMUNITY' }]);
    });

    it.each<[string, SharingRequest, { distribution: string; tlp: string; audience: Record<string, unknown> }, string[]]>([
      [
        'a group subject, asked for COMMUNITY, stays in the group at its TLP',
        { distribution: 'COMMUNITY', tlp: 'GREEN' },
        { distribution: 'SHARING_GROUP', tlp: 'AMBER', audience: { audience_group_id: 'GROUP' } },
        ['A'],
      ],
      [
        'a subject shared by name, asked for COMMUNITY, goes to those it names (its publisher) only, at TLP:RED',
        { distribution: 'COMMUNITY' },
        { distribution: 'RECIPIENTS', tlp: 'RED', audience: { audience_recipients: ['A'] } },
        ['A'],
      ],
    ])('narrows %s', async (label, sharing, expected, seers) => {
      const key = label.startsWith('a group') ? 'group' : 'recipients';
      const [stored] = await sightings.report(machineViewer(b), [report({ sightingOf: subject[key] })], sharing);
      expect(stored).toMatchObject({ distribution: expected.distribution, tlp: expected.tlp, narrowed: true });
      const { rows } = await owner.query(
        'SELECT distribution, tlp, audience_group_id, audience_recipients FROM stix_object WHERE id = $1',
        [stored.id],
      );
      const names = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(a.id, 'A').replaceAll(b.id, 'B').replaceAll(groupId, 'GROUP'));
      expect(names(rows[0])).toMatchObject({ distribution: expected.distribution, tlp: expected.tlp, ...expected.audience });
      // Who may see it now, besides its reporter: exactly those who may see what it sights.
      const see = async (t: TenantEntity) => (await intel.visibleTypes(machineViewer(t), [stored.id])).has(stored.id);
      expect({ A: await see(a), B: await see(b), C: await see(c) }).toEqual({ A: seers.includes('A'), B: true, C: false });
    });

    it('refuses, naming the subject, a sharing that has no one-audience intersection with it, and stores nothing', async () => {
      const before = await sightingCount();
      const refused = await refusal(
        sightings.report(machineViewer(b), [report(), report({ sightingOf: subject.group })], { distribution: 'SECTOR' }),
      );
      expect(refused).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { reason: 'AUDIENCE_NOT_REPRESENTABLE', field: 'sightings[1].sightingOf' },
      });
      expect(await sightingCount()).toBe(before);
    });

    it("cannot sight the publisher's ORGANISATION object, which it may not see", async () => {
      expect(await refusal(sightings.report(machineViewer(b), [report({ sightingOf: subject.organisation })]))).toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });
});
