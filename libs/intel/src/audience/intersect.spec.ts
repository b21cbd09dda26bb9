import type { AccessScope, Audience } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import { boundsOf, narrowRequest, NotRepresentable, reachOf, wholeBounds } from './intersect';
import { planSharing } from './plan';

const Q = '00000000-0000-4000-8000-00000000000a';
const P = '00000000-0000-4000-8000-00000000000b';
const R1 = '00000000-0000-4000-8000-00000000000c';
const R2 = '00000000-0000-4000-8000-00000000000d';
const G = '00000000-0000-4000-8000-0000000000f1';
const H = '00000000-0000-4000-8000-0000000000f2';

const aud = (publisherTenantId: string, over: Partial<Audience>): Audience => ({
  publisherTenantId,
  distribution: 'COMMUNITY',
  sectors: [],
  countries: [],
  groupId: null,
  recipients: [],
  ...over,
});
const scope = (tenantId: string, sectors: string[], country = 'US', groupIds: string[] = []): AccessScope => ({
  tenantId,
  sectors,
  country,
  groupIds,
});
const scopes = new Map(
  [scope(P, ['technology']), scope(R1, ['financial-services'], 'DE'), scope(R2, ['technology'], 'GB', [G])].map((s) => [s.tenantId, s]),
);
/** The intersection itself: bounds as if the referencing publisher knew the referenced audience whole. */
const whole = (a: Audience) => wholeBounds(reachOf(a));
const narrow = (requested: Partial<Audience>, referenced: Audience) => {
  const r = narrowRequest(aud(Q, requested), whole(referenced), scopes);
  return r instanceof NotRepresentable ? r : r.audience;
};

describe('references never widen the audience: intersecting audiences', () => {
  it('COMMUNITY ∩ SECTOR[tech] = SECTOR[tech]; SECTOR[a,b] ∩ SECTOR[b,c] = SECTOR[b]; disjoint sectors leave only the publisher', () => {
    expect(narrow({}, aud(P, { distribution: 'SECTOR', sectors: ['technology'] }))).toMatchObject({
      publisherTenantId: Q,
      distribution: 'SECTOR',
      sectors: ['technology'],
    });
    expect(narrow({ distribution: 'SECTOR', sectors: ['a', 'b'] }, aud(P, { distribution: 'SECTOR', sectors: ['b', 'c'] }))).toMatchObject({
      distribution: 'SECTOR',
      sectors: ['b'],
    });
    expect(narrow({ distribution: 'SECTOR', sectors: ['a'] }, aud(P, { distribution: 'SECTOR', sectors: ['c'] }))).toMatchObject({
      distribution: 'ORGANISATION',
    });
  });

  it('countries intersect, [] meaning anywhere; disjoint countries never become [] (which would mean everyone)', () => {
    expect(narrow({ countries: ['DE', 'FR'] }, aud(P, { countries: ['FR', 'GB'] }))).toMatchObject({
      distribution: 'COMMUNITY',
      countries: ['FR'],
    });
    expect(narrow({}, aud(P, { countries: ['GB'] }))).toMatchObject({ countries: ['GB'] });
    expect(narrow({ countries: ['DE'] }, aud(P, { distribution: 'SECTOR', sectors: ['x'], countries: ['GB'] }))).toMatchObject({
      distribution: 'ORGANISATION',
      countries: [],
    });
  });

  it('what is shared by name stays shared by name: the recipients and the publisher whom the request reaches, without Q', () => {
    const byName = aud(P, { distribution: 'RECIPIENTS', recipients: [Q, R1, R2] });
    expect(narrow({}, byName)).toMatchObject({ distribution: 'RECIPIENTS', recipients: [R1, R2, P] });
    expect(narrow({ distribution: 'SECTOR', sectors: ['technology'] }, byName)).toMatchObject({
      distribution: 'RECIPIENTS',
      recipients: [R2, P],
    });
    expect(narrow({ distribution: 'SHARING_GROUP', groupId: G }, byName)).toMatchObject({ distribution: 'RECIPIENTS', recipients: [R2] });
    expect(narrow({ distribution: 'RECIPIENTS', recipients: [R1] }, byName)).toMatchObject({
      distribution: 'RECIPIENTS',
      recipients: [R1],
    });
    expect(narrow({ distribution: 'SECTOR', sectors: ['healthcare'] }, byName)).toMatchObject({ distribution: 'ORGANISATION' });
    expect(narrow({}, aud(Q, { distribution: 'ORGANISATION' }))).toMatchObject({ distribution: 'ORGANISATION' });
  });

  it('refuses what is not one audience: two groups, a group and a sector, named recipients and a membership', () => {
    expect(narrow({ distribution: 'SHARING_GROUP', groupId: G }, aud(P, { distribution: 'SHARING_GROUP', groupId: H }))).toBeInstanceOf(
      NotRepresentable,
    );
    expect(
      narrow({ distribution: 'SECTOR', sectors: ['technology'] }, aud(P, { distribution: 'SHARING_GROUP', groupId: G })),
    ).toBeInstanceOf(NotRepresentable);
    expect(
      narrow({ distribution: 'RECIPIENTS', recipients: [R1] }, aud(P, { distribution: 'SECTOR', sectors: ['technology'] })),
    ).toBeInstanceOf(NotRepresentable);
    expect(narrow({ distribution: 'SHARING_GROUP', groupId: G }, aud(P, { distribution: 'SHARING_GROUP', groupId: G }))).toMatchObject({
      distribution: 'SHARING_GROUP',
      groupId: G,
    });
    expect(narrow({ distribution: 'ORGANISATION' }, aud(P, { distribution: 'SHARING_GROUP', groupId: G }))).toMatchObject({
      distribution: 'ORGANISATION',
    });
  });
});

describe('planSharing', () => {
  const requested = aud(Q, {});
  // In the sectors and country of everything referenced below, so the bounds it knows are the exact ones but for named tenants.
  const omniscient = scope(Q, ['technology'], 'US');
  it('narrows through chains inside the bundle, raises the TLP to the strictest, and picks the widest copy of a shared id', () => {
    const external = new Map([
      ['indicator--x', [{ audience: aud(P, { distribution: 'SECTOR', sectors: ['technology'] }), tlp: 'AMBER' as const }]],
      [
        'ipv4-addr--y',
        [
          { audience: aud(R1, { distribution: 'ORGANISATION' }), tlp: 'CLEAR' as const },
          { audience: aud(P, {}), tlp: 'GREEN' as const },
        ],
      ],
    ]);
    const nodes = [
      { id: 'note--1', objectId: 'note--1', refs: [{ ref: 'relationship--2', path: '$.objects[0].object_refs[0]' }] },
      {
        id: 'relationship--2',
        objectId: 'relationship--2',
        refs: [
          { ref: 'indicator--x', path: '$.objects[1].source_ref' },
          { ref: 'ipv4-addr--y', path: '$.objects[1].target_ref' },
        ],
      },
      { id: 'sighting--3', objectId: 'sighting--3', refs: [{ ref: 'ipv4-addr--y', path: '$.objects[2].sighting_of_ref' }] },
    ];
    const { byId, problems } = planSharing({ requested, viewer: omniscient, tlp: 'CLEAR', nodes, external, scopes });
    expect(problems).toEqual([]);
    expect(byId.get('relationship--2')).toMatchObject({
      audience: { distribution: 'SECTOR', sectors: ['technology'] },
      tlp: 'AMBER',
      narrowedBy: 'indicator--x',
    });
    expect(byId.get('note--1')).toMatchObject({ audience: { distribution: 'SECTOR', sectors: ['technology'] }, tlp: 'AMBER' });
    expect(byId.get('sighting--3')).toMatchObject({ audience: { distribution: 'COMMUNITY' }, tlp: 'GREEN' });
  });

  it('names the object and the property when the intersection cannot be stored', () => {
    const external = new Map([
      ['indicator--g', [{ audience: aud(P, { distribution: 'SHARING_GROUP', groupId: G }), tlp: 'AMBER' as const }]],
      ['indicator--s', [{ audience: aud(P, { distribution: 'SECTOR', sectors: ['technology'] }), tlp: 'GREEN' as const }]],
    ]);
    const nodes = [
      {
        id: 'relationship--1',
        objectId: 'relationship--1',
        refs: [
          { ref: 'indicator--g', path: '$.objects[0].source_ref' },
          { ref: 'indicator--s', path: '$.objects[0].target_ref' },
        ],
      },
    ];
    const { problems } = planSharing({ requested, viewer: omniscient, tlp: 'CLEAR', nodes, external, scopes });
    expect(problems).toEqual([
      { objectId: 'relationship--1', path: '$.objects[0].target_ref', message: expect.stringContaining('sharing group and a sector') },
    ]);
  });
});

describe('what the referencing publisher is told does not depend on what it cannot see of another member’s audience', () => {
  // Q (healthcare, DE) sees every variant below; within a family the variants differ only in what
  // Q may not know: who published a row sent to it by name and who else got it, the other sectors
  // listed, the countries narrowed to (or none).
  const viewer = scope(Q, ['healthcare'], 'DE');
  const everyone = new Map(
    [scope(P, ['insurance'], 'FR'), scope(R1, ['technology'], 'FR'), scope(R2, ['healthcare'], 'IT', [G])].map((s) => [s.tenantId, s]),
  );
  const families: Record<string, Audience[]> = {
    'sent to Q by name': [
      aud(P, { distribution: 'RECIPIENTS', recipients: [Q] }),
      aud(P, { distribution: 'RECIPIENTS', recipients: [Q, R1] }),
      aud(R1, { distribution: 'RECIPIENTS', recipients: [Q, R2] }),
      aud(R2, { distribution: 'RECIPIENTS', recipients: [Q], countries: ['DE', 'IT'] }),
    ],
    'shared with sectors including healthcare': [
      aud(P, { distribution: 'SECTOR', sectors: ['healthcare'] }),
      aud(P, { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'] }),
      aud(R1, { distribution: 'SECTOR', sectors: ['technology', 'healthcare'], countries: ['DE', 'FR'] }),
      aud(R1, { distribution: 'SECTOR', sectors: ['healthcare'], countries: ['DE'] }),
    ],
    'shared with everyone, narrowed by country or not': [aud(P, {}), aud(P, { countries: ['DE'] }), aud(R1, { countries: ['DE', 'FR'] })],
    'shared with group G': [
      aud(P, { distribution: 'SHARING_GROUP', groupId: G }),
      aud(R2, { distribution: 'SHARING_GROUP', groupId: G, countries: ['DE', 'FR'] }),
    ],
  };
  const requests: Array<Partial<Audience>> = [
    { distribution: 'ORGANISATION' },
    {},
    { countries: ['DE'] },
    { countries: ['FR'] },
    { countries: ['DE', 'FR'] },
    { distribution: 'SECTOR', sectors: ['healthcare'] },
    { distribution: 'SECTOR', sectors: ['insurance'] },
    { distribution: 'SECTOR', sectors: ['technology', 'healthcare'] },
    { distribution: 'SECTOR', sectors: ['insurance'], countries: ['FR'] },
    { distribution: 'RECIPIENTS', recipients: [P] },
    { distribution: 'RECIPIENTS', recipients: [R1] },
    { distribution: 'RECIPIENTS', recipients: [P, R1, R2] },
    { distribution: 'SHARING_GROUP', groupId: G },
  ];
  /** All Q can observe of one publish: refused or not, the distribution stored, what it is shown, and the narrowing it is told of. */
  const observed = (request: Partial<Audience>, referenced: Audience) => {
    const requested = aud(Q, request);
    const external = new Map([['indicator--x', [{ audience: referenced, tlp: 'GREEN' as const }]]]);
    const nodes = [{ id: 'note--1', objectId: 'note--1', refs: [{ ref: 'indicator--x', path: '$.objects[0].object_refs[0]' }] }];
    const { byId, problems } = planSharing({ requested, viewer, tlp: 'CLEAR', nodes, external, scopes: everyone });
    if (problems.length) return { refused: problems.map((p) => p.message) };
    const planned = byId.get('note--1')!;
    expect(planned.audience.distribution).toBe(planned.shown.distribution);
    return { distribution: planned.audience.distribution, shown: planned.shown, tlp: planned.tlp, narrowedBy: planned.narrowedBy ?? null };
  };

  for (const [family, variants] of Object.entries(families)) {
    it(`${family}: every request answers alike for every variant`, () => {
      for (const request of requests) {
        const answers = variants.map((v) => observed(request, v));
        for (const a of answers.slice(1)) expect({ request, answer: a }).toEqual({ request, answer: answers[0] });
      }
    });
  }

  it('what is stored is still the exact intersection: a sighting of what was sent by name reaches its publisher, never anyone else', () => {
    const sentByP = boundsOf(aud(P, { distribution: 'RECIPIENTS', recipients: [Q, R1] }), viewer);
    const toAll = narrowRequest(aud(Q, {}), sentByP, everyone) as { audience: Audience; shown: Audience };
    expect(toAll.audience).toMatchObject({ distribution: 'RECIPIENTS', recipients: [R1, P] });
    expect(toAll.shown).toMatchObject({ distribution: 'RECIPIENTS', recipients: [] });
    const toR2 = narrowRequest(aud(Q, { distribution: 'RECIPIENTS', recipients: [R2] }), sentByP, everyone) as { audience: Audience };
    expect(toR2.audience).toMatchObject({ distribution: 'RECIPIENTS', recipients: [] });
    const sectors = boundsOf(aud(P, { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'], countries: ['DE', 'FR'] }), viewer);
    const sighting = narrowRequest(aud(Q, {}), sectors, everyone) as { audience: Audience; known: Audience; shown: Audience };
    expect(sighting.audience).toMatchObject({ distribution: 'SECTOR', sectors: ['healthcare', 'insurance'], countries: ['DE', 'FR'] });
    expect(sighting.shown).toMatchObject({ distribution: 'SECTOR', sectors: ['healthcare'], countries: [] });
    expect(sighting.known).toMatchObject({ distribution: 'SECTOR', sectors: ['healthcare'], countries: ['DE'] });
  });

  it('its own rows it knows whole: nothing is held back from it there', () => {
    const own = boundsOf(aud(Q, { distribution: 'SECTOR', sectors: ['insurance', 'healthcare'], countries: ['FR', 'DE'] }), viewer);
    expect(own.known).toEqual(own.exact);
    const r = narrowRequest(aud(Q, { distribution: 'SECTOR', sectors: ['insurance'], countries: ['FR'] }), own, everyone) as {
      shown: Audience;
    };
    expect(r.shown).toMatchObject({ distribution: 'SECTOR', sectors: ['insurance'], countries: ['FR'] });
  });
});

describe('the copy chosen among several of one id must not turn on who published which copy', () => {
  // visibleCopies orders copies by publisher id, which the publisher may not know of another member's copy.
  const viewer = scope(Q, ['healthcare'], 'DE');
  const chosen = (copies: Array<{ audience: Audience; tlp: Tlp }>) => {
    const { byId, problems } = planSharing({
      requested: aud(Q, {}),
      viewer,
      tlp: 'GREEN',
      nodes: [{ id: 'note--n', objectId: 'note--n', refs: [{ ref: 'ipv4-addr--x', path: '$.objects[0].object_refs[0]' }] }],
      external: new Map([['ipv4-addr--x', copies]]),
      scopes: new Map(),
    });
    expect(problems).toEqual([]);
    return { tlp: byId.get('note--n')!.tlp, narrowedBy: byId.get('note--n')!.narrowedBy };
  };

  it('its own GREEN copy and an anonymous AMBER one, both COMMUNITY: either order gives the same (the least strict TLP)', () => {
    const own = { audience: aud(Q, {}), tlp: 'GREEN' as Tlp };
    const theirs = { audience: aud(P, {}), tlp: 'AMBER' as Tlp };
    expect(chosen([theirs, own])).toEqual(chosen([own, theirs]));
    expect(chosen([theirs, own])).toEqual({ tlp: 'GREEN', narrowedBy: undefined });
  });

  it('two anonymous copies alike but for their publisher: either order gives the same', () => {
    const a = { audience: aud(P, { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'] }), tlp: 'AMBER' as Tlp };
    const b = { audience: aud(R1, { distribution: 'SECTOR', sectors: ['healthcare'] }), tlp: 'AMBER' as Tlp };
    expect(chosen([a, b])).toEqual(chosen([b, a]));
  });
});
