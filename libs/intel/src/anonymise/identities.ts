import { CAIRN_IDENTITY_ID, tlpMarkingRef } from '@cairn/stix';
import { identityClassOf } from '../protect/protected-properties';
import { TermMatcher } from './term-matcher';

type Json = Record<string, unknown>;

/** What the publishing pipeline needs to know about the publisher to hide it. */
export interface PublisherFacts {
  name: string;
  domains: readonly string[];
  redactionTerms: readonly string[];
  attribution: 'ANONYMOUS' | 'NAMED';
  stixIdentityId: string;
}

/** The identity every anonymous publication is attributed to: the exchange itself. */
export const EXCHANGE_IDENTITY: Readonly<Json> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: CAIRN_IDENTITY_ID,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: 'Cairn exchange',
  description: 'The Cairn intelligence-sharing exchange. Objects its members publish anonymously are attributed to it.',
  identity_class: 'organization',
});

/** An object the exchange serves itself (its identity, extension-definitions, named members' identities), as it stores it: TLP:CLEAR. */
export function asServedByExchange(doc: object): Json {
  return { ...(doc as Json), object_marking_refs: [tlpMarkingRef('CLEAR')] };
}

/** created_by_ref of what this publisher publishes. */
export function outgoingIdentityId(p: PublisherFacts): string {
  return p.attribution === 'NAMED' ? p.stixIdentityId : CAIRN_IDENTITY_ID;
}

/** The identity object a named tenant is shown as. */
export function namedIdentity(t: { stixIdentityId: string; name: string; createdAt: Date; updatedAt: Date }): Json {
  const created = t.createdAt.toISOString();
  const modified = t.updatedAt.toISOString();
  return {
    type: 'identity',
    spec_version: '2.1',
    id: t.stixIdentityId,
    created,
    modified: modified < created ? created : modified,
    name: t.name,
    identity_class: 'organization',
  };
}

/** Every term that names the publisher: its name, its domains and its own redaction terms. */
export function publisherTerms(p: PublisherFacts): string[] {
  return [p.name, ...p.domains, ...p.redactionTerms].filter((t) => t.trim().length >= 2);
}

/**
 * True when an identity object in a bundle stands for the publisher (or for the exchange), and must
 * therefore not be stored: it has one of their ids, or its name is the publisher's name, a domain or
 * a redaction term, or its contact information names one of the publisher's domains.
 */
export function describesPublisher(obj: Json, p: PublisherFacts, terms = new TermMatcher(publisherTerms(p))): boolean {
  if (obj.type !== 'identity') return false;
  if (obj.id === p.stixIdentityId || obj.id === CAIRN_IDENTITY_ID) return true;
  // A person or a crowd cell is never the publisher; compared as protection compares it (`Individual` too).
  const cls = identityClassOf(obj);
  if (cls === 'individual' || cls === 'class') return false;
  if (typeof obj.name === 'string' && terms.matchesWhole(obj.name)) return true;
  const domains = new TermMatcher(p.domains);
  return typeof obj.contact_information === 'string' && domains.replace(obj.contact_information, '\u0000') !== obj.contact_information;
}
