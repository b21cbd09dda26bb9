import type { AccessScope, Audience } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import { planSharing } from './plan';

// Among copies of one id whose results the publisher is shown alike, the choice
// (and so the TLP it is told) falls to the first copy — visibleCopies orders them by
// publisher_tenant_id, which the publisher may not know for another member's copy.
const Q = '00000000-0000-4000-8000-00000000000a';
const P = '00000000-0000-4000-8000-00000000000b';
const aud = (publisherTenantId: string, over: Partial<Audience> = {}): Audience => ({
  publisherTenantId,
  distribution: 'COMMUNITY',
  sectors: [],
  countries: [],
  groupId: null,
  recipients: [],
  ...over,
});
const viewer: AccessScope = { tenantId: Q, sectors: ['healthcare'], country: 'DE', groupIds: [] };
const tlpOf = (copies: Array<{ audience: Audience; tlp: Tlp }>) => {
  const { byId, problems } = planSharing({
    requested: aud(Q),
    viewer,
    tlp: 'GREEN',
    nodes: [{ id: 'note--n', objectId: 'note--n', refs: [{ ref: 'ipv4-addr--x', path: '$.objects[0].object_refs[0]' }] }],
    external: new Map([['ipv4-addr--x', copies]]),
    scopes: new Map(),
  });
  expect(problems).toEqual([]);
  return { tlp: byId.get('note--n')!.tlp, narrowedBy: byId.get('note--n')!.narrowedBy };
};

describe('the copy chosen must not turn on who published which copy', () => {
  it("Q's own GREEN copy and an anonymous AMBER copy, both COMMUNITY: the TLP told does not depend on the order of publisher ids", () => {
    const own = { audience: aud(Q), tlp: 'GREEN' as Tlp };
    const theirs = { audience: aud(P), tlp: 'AMBER' as Tlp };
    // [own, theirs] is the database order when Q's id sorts first, [theirs, own] when P's does.
    expect(tlpOf([theirs, own])).toEqual(tlpOf([own, theirs]));
  });
});
