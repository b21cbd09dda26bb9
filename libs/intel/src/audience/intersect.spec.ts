import type { AccessScope, Audience } from '@cairn/access';
import { narrowRequest, NotRepresentable, reachOf } from './intersect';
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
const narrow = (requested: Partial<Audience>, referenced: Audience) => narrowRequest(aud(Q, requested), reachOf(referenced), scopes);

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
    const { byId, problems } = planSharing({ requested, tlp: 'CLEAR', nodes, external, scopes });
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
    const { problems } = planSharing({ requested, tlp: 'CLEAR', nodes, external, scopes });
    expect(problems).toEqual([
      { objectId: 'relationship--1', path: '$.objects[0].target_ref', message: expect.stringContaining('sharing group and a sector') },
    ]);
  });
});
