import type { KillChainPhase, StixCoreBase, StixId, StixTimestamp } from './common';

export interface AttackPattern extends StixCoreBase {
  type: 'attack-pattern';
  name: string;
  description?: string;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
}

export interface Campaign extends StixCoreBase {
  type: 'campaign';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  objective?: string;
}

export interface CourseOfAction extends StixCoreBase {
  type: 'course-of-action';
  name: string;
  description?: string;
}

export interface Grouping extends StixCoreBase {
  type: 'grouping';
  name?: string;
  description?: string;
  context: string;
  object_refs: StixId[];
}

export interface Identity extends StixCoreBase {
  type: 'identity';
  name: string;
  description?: string;
  roles?: string[];
  identity_class?: string;
  sectors?: string[];
  contact_information?: string;
}

export interface Incident extends StixCoreBase {
  type: 'incident';
  name: string;
  description?: string;
  kill_chain_phases?: KillChainPhase[];
}

export interface Indicator extends StixCoreBase {
  type: 'indicator';
  name?: string;
  description?: string;
  indicator_types?: string[];
  pattern: string;
  pattern_type: string;
  pattern_version?: string;
  valid_from: StixTimestamp;
  valid_until?: StixTimestamp;
  kill_chain_phases?: KillChainPhase[];
}

export interface Infrastructure extends StixCoreBase {
  type: 'infrastructure';
  name: string;
  description?: string;
  infrastructure_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
}

export interface IntrusionSet extends StixCoreBase {
  type: 'intrusion-set';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  goals?: string[];
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
}

export interface Location extends StixCoreBase {
  type: 'location';
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  precision?: number;
  region?: string;
  country?: string;
  administrative_area?: string;
  city?: string;
  street_address?: string;
  postal_code?: string;
}

export interface Malware extends StixCoreBase {
  type: 'malware';
  name?: string;
  description?: string;
  malware_types?: string[];
  is_family: boolean;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  operating_system_refs?: StixId<'software'>[];
  architecture_execution_envs?: string[];
  implementation_languages?: string[];
  capabilities?: string[];
  sample_refs?: StixId<'file' | 'artifact'>[];
}

export interface MalwareAnalysis extends StixCoreBase {
  type: 'malware-analysis';
  product: string;
  version?: string;
  host_vm_ref?: StixId<'software'>;
  operating_system_ref?: StixId<'software'>;
  installed_software_refs?: StixId<'software'>[];
  configuration_version?: string;
  modules?: string[];
  analysis_engine_version?: string;
  analysis_definition_version?: string;
  submitted?: StixTimestamp;
  analysis_started?: StixTimestamp;
  analysis_ended?: StixTimestamp;
  result_name?: string;
  result?: string;
  analysis_sco_refs?: StixId[];
  sample_ref?: StixId<'file' | 'artifact' | 'network-traffic'>;
}

export interface Note extends StixCoreBase {
  type: 'note';
  abstract?: string;
  content: string;
  authors?: string[];
  object_refs: StixId[];
}

export interface ObservedData extends StixCoreBase {
  type: 'observed-data';
  first_observed: StixTimestamp;
  last_observed: StixTimestamp;
  number_observed: number;
  /** Deprecated in 2.1 in favour of object_refs. */
  objects?: Record<string, unknown>;
  object_refs?: StixId[];
}

export type OpinionValue = 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';

export interface Opinion extends StixCoreBase {
  type: 'opinion';
  explanation?: string;
  authors?: string[];
  opinion: OpinionValue;
  object_refs: StixId[];
}

export interface Report extends StixCoreBase {
  type: 'report';
  name: string;
  description?: string;
  report_types?: string[];
  published: StixTimestamp;
  object_refs: StixId[];
}

export interface ThreatActor extends StixCoreBase {
  type: 'threat-actor';
  name: string;
  description?: string;
  threat_actor_types?: string[];
  aliases?: string[];
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  roles?: string[];
  goals?: string[];
  sophistication?: string;
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
  personal_motivations?: string[];
}

export interface Tool extends StixCoreBase {
  type: 'tool';
  name: string;
  description?: string;
  tool_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  tool_version?: string;
}

export interface Vulnerability extends StixCoreBase {
  type: 'vulnerability';
  name: string;
  description?: string;
}

export type StixDomainObject =
  | AttackPattern
  | Campaign
  | CourseOfAction
  | Grouping
  | Identity
  | Incident
  | Indicator
  | Infrastructure
  | IntrusionSet
  | Location
  | Malware
  | MalwareAnalysis
  | Note
  | ObservedData
  | Opinion
  | Report
  | ThreatActor
  | Tool
  | Vulnerability;
