// Realistic STIX content for tests and benchmarks: the DPRK remote-IT-worker
// case Cairn was built for. Deterministic (ids derive from seeds) so tests
// can name objects and paths.
import { createHash } from 'node:crypto';
import { CAIRN_OBSERVABLES_EXTENSION, CAIRN_IDENTITY_ID, customObservable } from '../custom-observables';
import { scoId } from '../ids';
import { equalityPattern } from '../pattern/extract';
import { TLP2_MARKINGS, tlpMarkingRef } from '../tlp';

type Obj = { type: string; id: string } & Record<string, unknown>;

/** A UUIDv4-shaped id derived from a seed, so fixtures are reproducible. */
export function seededId(type: string, seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const T0 = '2025-06-02T09:00:00.000Z';
const AMBER = tlpMarkingRef('AMBER');

function sdo(type: string, seed: string, props: Record<string, unknown>): Obj {
  return {
    type,
    spec_version: '2.1',
    id: seededId(type, seed),
    created: T0,
    modified: T0,
    created_by_ref: CAIRN_IDENTITY_ID,
    object_marking_refs: [AMBER],
    ...props,
  };
}

function sco(type: string, props: Record<string, unknown>): Obj {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
}

function indicator(seed: string, name: string, pattern: string): Obj {
  return sdo('indicator', seed, {
    name,
    indicator_types: ['malicious-activity', 'attribution'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: T0,
    valid_until: '2026-06-02T09:00:00.000Z',
    confidence: 80,
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
  });
}

function rel(seed: string, type: string, source: Obj, target: Obj): Obj {
  return sdo('relationship', seed, { relationship_type: type, source_ref: source.id, target_ref: target.id });
}

/** Objects of one persona: identifiers, indicators over them, relationships and a sighting. */
function personaObjects(n: number, actor: Obj, sectorClass: Obj, country: Obj): Obj[] {
  const handle = `dev-kim-${n}`;
  const persona = customObservable('persona', { persona_name: `Daniel Kim ${n}`, persona_type: 'job-applicant' }) as Obj;
  const email = sco('email-addr', { value: `daniel.kim.${n}@proton.example` });
  const phone = customObservable('phone-number', { value: `+1202555${String(1000 + (n % 9000)).padStart(4, '0')}` }) as Obj;
  const ip = sco('ipv4-addr', { value: `198.51.${100 + (n % 50)}.${n % 250}` });
  const github = sco('user-account', { account_type: 'github', account_login: handle, display_name: `Daniel Kim ${n}` });
  const telegram = sco('user-account', { account_type: 'telegram', account_login: `dkim_${n}_tg` });
  const sha256 = createHash('sha256').update(`resume-${n}`).digest('hex');
  const resume = sco('file', {
    name: `Daniel_Kim_${n}_Resume.pdf`,
    mime_type: 'application/pdf',
    size: 184_233 + n,
    hashes: { MD5: createHash('md5').update(`resume-${n}`).digest('hex'), 'SHA-256': sha256 },
  });
  const wallet = customObservable('cryptocurrency-wallet', { value: `0x${createHash('sha1').update(`w${n}`).digest('hex')}` }) as Obj;
  const indicators = [
    indicator(`ind-email-${n}`, 'Applicant e-mail', equalityPattern('email-addr', 'value', email.value as string)),
    indicator(`ind-phone-${n}`, 'Applicant phone', equalityPattern('phone-number', 'value', phone.value as string)),
    indicator(`ind-file-${n}`, 'Résumé file', `[file:hashes.'SHA-256' = '${sha256}']`),
    indicator(`ind-gh-${n}`, 'GitHub handle', `[user-account:account_type = 'github' AND user-account:account_login = '${handle}']`),
    indicator(`ind-ip-${n}`, 'Laptop-farm VPN exit', `[ipv4-addr:value = '${ip.value}'] FOLLOWEDBY [email-addr:value = '${email.value}'] WITHIN 3600 SECONDS`),
  ];
  const observed = sdo('observed-data', `obs-${n}`, {
    first_observed: T0,
    last_observed: '2025-06-02T10:00:00.000Z',
    number_observed: 1,
    object_refs: [email.id, phone.id, persona.id],
  });
  const sighting = sdo('sighting', `sight-${n}`, {
    sighting_of_ref: indicators[0].id,
    observed_data_refs: [observed.id],
    where_sighted_refs: [sectorClass.id, country.id],
    first_seen: T0,
    last_seen: '2025-06-09T09:00:00.000Z',
    count: 2,
    description: 'Interviewed for a payroll role',
  });
  const rels = indicators.map((ind, i) => rel(`rel-ind-${n}-${i}`, 'indicates', ind, actor));
  rels.push(rel(`rel-persona-${n}`, 'related-to', persona, actor));
  rels.push(rel(`rel-based-${n}`, 'based-on', indicators[0], email));
  return [persona, email, phone, ip, github, telegram, resume, wallet, ...indicators, observed, sighting, ...rels];
}

/** A realistic DPRK-IT-worker bundle with `personas` personas (22 objects each plus ~10 shared). */
export function dprkBundle(personas = 2): { type: 'bundle'; id: string; objects: Obj[] } {
  const exchange: Obj = {
    type: 'identity', spec_version: '2.1', id: CAIRN_IDENTITY_ID, created: T0, modified: T0,
    name: 'Cairn exchange', identity_class: 'organization',
  };
  const sectorClass = sdo('identity', 'sector-healthcare-de', { name: 'Healthcare members, DE', identity_class: 'class', sectors: ['healthcare'] });
  const country = sdo('location', 'loc-de', { name: 'Germany', country: 'DE', region: 'western-europe' });
  const actor = sdo('threat-actor', 'actor', {
    name: 'DPRK remote IT worker network',
    threat_actor_types: ['nation-state', 'criminal'],
    aliases: ['Famous Chollima', 'UNC5267'],
    first_seen: '2021-01-01T00:00:00Z',
    last_seen: '2025-06-30T00:00:00Z',
    primary_motivation: 'organizational-gain',
    sophistication: 'intermediate',
    external_references: [{ source_name: 'fbi', description: 'Guidance on North Korean IT workers', url: 'https://www.ic3.gov/' }],
  });
  const intrusionSet = sdo('intrusion-set', 'iset', { name: 'UNC5267', first_seen: '2022-01-01T00:00:00Z', resource_level: 'government' });
  const campaign = sdo('campaign', 'campaign', { name: 'Remote hiring fraud 2024–2025', first_seen: '2024-01-01T00:00:00Z', last_seen: '2025-06-30T00:00:00Z' });
  const shared = [
    rel('rel-iset-actor', 'attributed-to', intrusionSet, actor),
    rel('rel-campaign-iset', 'attributed-to', campaign, intrusionSet),
  ];
  const perPersona: Obj[] = [];
  for (let n = 0; n < personas; n++) perPersona.push(...personaObjects(n, actor, sectorClass, country));
  const report = sdo('report', 'report', {
    name: 'DPRK IT workers at European healthcare members',
    description: 'Applicants reusing résumés and VPN exits across members.',
    report_types: ['threat-actor'],
    published: T0,
    object_refs: [actor.id, intrusionSet.id, campaign.id],
    granular_markings: [{ marking_ref: tlpMarkingRef('RED'), selectors: ['description', 'object_refs.[0]'] }],
  });
  return {
    type: 'bundle',
    id: seededId('bundle', `dprk-${personas}`),
    objects: [
      TLP2_MARKINGS.AMBER as unknown as Obj, TLP2_MARKINGS.RED as unknown as Obj, CAIRN_OBSERVABLES_EXTENSION as unknown as Obj,
      exchange, sectorClass, country, actor, intrusionSet, campaign, ...shared, ...perPersona, report,
    ],
  };
}

/** A bundle of at least `count` objects built from whole personas, cut to exactly `count`. */
export function largeBundle(count: number): { type: 'bundle'; id: string; objects: Obj[] } {
  const bundle = dprkBundle(Math.ceil(count / 22));
  bundle.objects = bundle.objects.slice(0, count);
  return bundle;
}
