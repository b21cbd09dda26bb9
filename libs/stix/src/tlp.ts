import type { MarkingDefinition } from './types/meta';

/**
 * Every Traffic Light Protocol 2.0 level, least to most restrictive: the one list, which the TLP
 * type, the GraphQL enum Tlp, the order of compareTlp and validation are built from.
 */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;

/** A Traffic Light Protocol 2.0 level. */
export type Tlp = (typeof TLP_LEVELS)[number];

/** The levels in words, for messages and descriptions: "CLEAR, GREEN, AMBER, AMBER+STRICT or RED". */
export const TLP_LEVELS_IN_WORDS = `${TLP_LEVELS.slice(0, -1).join(', ')} or ${TLP_LEVELS[TLP_LEVELS.length - 1]}`;

/** The STIX extension that defines TLP 2.0 marking definitions. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const TLP2_IDS: Record<Tlp, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const TLP1 = {
  WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

/** The TLP 2.0 level each TLP 1.0 colour stands for. */
const TLP1_LEVEL: Readonly<Record<keyof typeof TLP1, Tlp>> = { WHITE: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' };

/** The colours of TLP 1.0 (as its marking definitions spell them: lower case). */
export const TLP1_COLOURS: readonly string[] = Object.keys(TLP1).map((c) => c.toLowerCase());

function tlp2(tlp: Tlp): MarkingDefinition {
  return Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() } },
  }) as MarkingDefinition;
}

function tlp1(colour: keyof typeof TLP1): MarkingDefinition {
  return Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP1[colour],
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${colour}`,
    definition: { tlp: colour.toLowerCase() },
  }) as MarkingDefinition;
}

/** The standard TLP 2.0 marking-definition objects, by level. */
export const TLP2_MARKINGS: Readonly<Record<Tlp, MarkingDefinition>> = Object.freeze({
  CLEAR: tlp2('CLEAR'),
  GREEN: tlp2('GREEN'),
  AMBER: tlp2('AMBER'),
  'AMBER+STRICT': tlp2('AMBER+STRICT'),
  RED: tlp2('RED'),
});

/** The standard TLP 1.0 marking-definition objects (accepted on input, never emitted). */
export const TLP1_MARKINGS: Readonly<Record<keyof typeof TLP1, MarkingDefinition>> = Object.freeze({
  WHITE: tlp1('WHITE'),
  GREEN: tlp1('GREEN'),
  AMBER: tlp1('AMBER'),
  RED: tlp1('RED'),
});

const LEVEL_BY_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...TLP_LEVELS.map((t) => [TLP2_IDS[t], t] as [string, Tlp]),
  ...(Object.keys(TLP1) as Array<keyof typeof TLP1>).map((c) => [TLP1[c], TLP1_LEVEL[c]] as [string, Tlp]),
]);

const RANK: ReadonlyMap<Tlp, number> = new Map(TLP_LEVELS.map((t, i) => [t, i]));

/** The TLP level a marking-definition id stands for (TLP 1.0 ids mapped to 2.0), or undefined. */
export function tlpOfMarkingRef(ref: unknown): Tlp | undefined {
  return typeof ref === 'string' ? LEVEL_BY_ID.get(ref) : undefined;
}

/** True when `ref` is one of the standard TLP 1.0 or 2.0 marking-definition ids. */
export function isTlpMarkingRef(ref: unknown): boolean {
  return tlpOfMarkingRef(ref) !== undefined;
}

/** The most restrictive TLP among the refs (non-TLP refs ignored), or undefined if none is a TLP marking. */
export function tlpFromMarkingRefs(refs: unknown): Tlp | undefined {
  if (!Array.isArray(refs)) return undefined;
  let best: Tlp | undefined;
  for (const ref of refs) {
    const level = tlpOfMarkingRef(ref);
    if (level) best = best ? highestTlp(best, level) : level;
  }
  return best;
}

/** The more restrictive of two TLP levels. */
export function highestTlp(a: Tlp, b: Tlp): Tlp {
  return compareTlp(a, b) >= 0 ? a : b;
}

/** Orders TLP levels: CLEAR < GREEN < AMBER < AMBER+STRICT < RED. */
export function compareTlp(a: Tlp, b: Tlp): number {
  return (RANK.get(a) ?? 0) - (RANK.get(b) ?? 0);
}

/** The TLP 2.0 marking-definition id for a level. */
export function tlpMarkingRef(tlp: Tlp): string {
  return TLP2_IDS[tlp];
}

/** True when `value` is one of the five TLP 2.0 level names. */
export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && RANK.has(value as Tlp);
}

/** Reads the TLP level a marking-definition object declares in its content (TLP 1.0 definition or 2.0 extension). */
export function tlpFromMarkingDefinition(marking: unknown): Tlp | undefined {
  if (typeof marking !== 'object' || marking === null) return undefined;
  const m = marking as Record<string, unknown>;
  const ext = Object.hasOwn(m, 'extensions') ? m.extensions : undefined;
  if (typeof ext === 'object' && ext !== null && Object.hasOwn(ext, TLP2_EXTENSION_ID)) {
    const body = (ext as Record<string, unknown>)[TLP2_EXTENSION_ID];
    const level =
      typeof body === 'object' && body !== null && Object.hasOwn(body, 'tlp_2_0') ? (body as Record<string, unknown>).tlp_2_0 : undefined;
    const upper = typeof level === 'string' ? level.toUpperCase() : undefined;
    return isTlp(upper) ? upper : undefined;
  }
  const def = Object.hasOwn(m, 'definition') ? m.definition : undefined;
  if (m.definition_type === 'tlp' && typeof def === 'object' && def !== null && Object.hasOwn(def, 'tlp')) {
    const colour = (def as Record<string, unknown>).tlp;
    if (colour === 'white') return 'CLEAR';
    const upper = typeof colour === 'string' ? colour.toUpperCase() : undefined;
    return upper === 'GREEN' || upper === 'AMBER' || upper === 'RED' ? upper : undefined;
  }
  return undefined;
}
