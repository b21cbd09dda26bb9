import type { StixCoreBase, StixId, StixTimestamp } from './common';

export interface Relationship extends StixCoreBase {
  type: 'relationship';
  relationship_type: string;
  description?: string;
  source_ref: StixId;
  target_ref: StixId;
  start_time?: StixTimestamp;
  stop_time?: StixTimestamp;
}

export interface Sighting extends StixCoreBase {
  type: 'sighting';
  description?: string;
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  count?: number;
  sighting_of_ref: StixId;
  observed_data_refs?: StixId<'observed-data'>[];
  where_sighted_refs?: StixId<'identity' | 'location'>[];
  summary?: boolean;
}

export type StixRelationshipObject = Relationship | Sighting;
