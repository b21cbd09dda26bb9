/** A STIX identifier: `<type>--<uuid>`. */
export type StixId<T extends string = string> = `${T}--${string}`;
/** An RFC 3339 UTC timestamp ending in "Z". */
export type StixTimestamp = string;

export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Hashes;
  external_id?: string;
}

export interface KillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}

export interface GranularMarking {
  lang?: string;
  marking_ref?: StixId<'marking-definition'>;
  selectors: string[];
}

/** Hash algorithm name → hex (or fuzzy-hash) value; keys from hash-algorithm-ov or custom. */
export type Hashes = Record<string, string>;

export type ExtensionType = 'new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension';

/** Extensions keyed by extension-definition id or a predefined extension name. */
export type Extensions = Record<string, Record<string, unknown>>;

/** Custom properties allowed by STIX 2.1 (names of a-z, 0-9 and '_', 3–250 chars). */
export interface CustomProperties {
  [name: string]: unknown;
}

/** Properties every SDO and SRO may carry. */
export interface StixCoreBase extends CustomProperties {
  type: string;
  spec_version: '2.1';
  id: StixId;
  created: StixTimestamp;
  modified: StixTimestamp;
  created_by_ref?: StixId<'identity'>;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  lang?: string;
  external_references?: ExternalReference[];
  object_marking_refs?: StixId<'marking-definition'>[];
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
}

/** Properties every SCO may carry. */
export interface StixCyberObservableBase extends CustomProperties {
  type: string;
  id: StixId;
  spec_version?: '2.1';
  object_marking_refs?: StixId<'marking-definition'>[];
  granular_markings?: GranularMarking[];
  defanged?: boolean;
  extensions?: Extensions;
}
