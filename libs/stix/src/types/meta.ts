import type { ExtensionType, Extensions, ExternalReference, GranularMarking, StixCoreBase, StixId, StixTimestamp } from './common';
import type { StixDomainObject } from './sdo';
import type { StixRelationshipObject } from './sro';
import type { StixCyberObservable } from './sco';
import type { CairnCustomObservable } from './custom';

export interface MarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: StixId<'marking-definition'>;
  created: StixTimestamp;
  created_by_ref?: StixId<'identity'>;
  external_references?: ExternalReference[];
  object_marking_refs?: StixId<'marking-definition'>[];
  granular_markings?: GranularMarking[];
  name?: string;
  definition_type?: 'statement' | 'tlp' | string;
  definition?: { statement: string } | { tlp: 'white' | 'green' | 'amber' | 'red' } | Record<string, unknown>;
  extensions?: Extensions;
  [custom: string]: unknown;
}

export interface ExtensionDefinition extends StixCoreBase {
  type: 'extension-definition';
  created_by_ref: StixId<'identity'>;
  name: string;
  description?: string;
  schema: string;
  version: string;
  extension_types: ExtensionType[];
  extension_properties?: string[];
}

export interface LanguageContent extends StixCoreBase {
  type: 'language-content';
  object_ref: StixId;
  object_modified?: StixTimestamp;
  /** Language tag → property name → translated value. */
  contents: Record<string, Record<string, unknown>>;
}

/** Any object this library knows by type. */
export type StixObject =
  | StixDomainObject
  | StixRelationshipObject
  | StixCyberObservable
  | CairnCustomObservable
  | MarkingDefinition
  | ExtensionDefinition
  | LanguageContent;

export interface Bundle {
  type: 'bundle';
  id: StixId<'bundle'>;
  objects?: Array<StixObject | ({ type: string; id: string } & Record<string, unknown>)>;
}
