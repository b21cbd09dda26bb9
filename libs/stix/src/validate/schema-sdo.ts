import { StixErrorCode as C } from '../errors';
import { tryParsePattern } from '../pattern/parser';
import { ENUMS } from '../vocabularies';
import { ANY_OBJECT, ANY_SCO, ANY_SDO, SDO_OR_SCO, types } from './categories';
import { childPath, has, own } from './context';
import { BOOL, DICT, STRING, STRINGS, TIMESTAMP, int, nestedList, num, oneOf, ref, refs, type Kind } from './kinds';
import { atLeastOne, notBoth, requires, timeOrder } from './rules';
import { KILL_CHAIN_PHASE, core, type TypeSchema } from './schema-common';

const KILL_CHAIN: Kind = nestedList(KILL_CHAIN_PHASE);
const OBJECT_REFS: Kind = refs(ANY_OBJECT);
const SOFTWARE = types('software');
const SEEN = { first_seen: TIMESTAMP, last_seen: TIMESTAMP };
const seenOrder: TypeSchema['rules'] = (o, p, s) => timeOrder(o, p, s, 'first_seen', 'last_seen');
const RELATIONSHIP_TYPE = /^[a-z0-9-]{1,250}$/;

export const SDO_SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map<string, TypeSchema>([
  ['attack-pattern', core('sdo', { name: STRING, description: STRING, aliases: STRINGS, kill_chain_phases: KILL_CHAIN }, ['name'])],
  ['campaign', core('sdo', { name: STRING, description: STRING, aliases: STRINGS, ...SEEN, objective: STRING }, ['name'], seenOrder)],
  ['course-of-action', core('sdo', { name: STRING, description: STRING }, ['name'])],
  ['grouping', core('sdo', { name: STRING, description: STRING, context: STRING, object_refs: OBJECT_REFS }, ['context', 'object_refs'])],
  [
    'identity',
    core(
      'sdo',
      { name: STRING, description: STRING, roles: STRINGS, identity_class: STRING, sectors: STRINGS, contact_information: STRING },
      ['name'],
    ),
  ],
  ['incident', core('sdo', { name: STRING, description: STRING, kill_chain_phases: KILL_CHAIN }, ['name'])],
  [
    'indicator',
    core(
      'sdo',
      {
        name: STRING,
        description: STRING,
        indicator_types: STRINGS,
        pattern: STRING,
        pattern_type: STRING,
        pattern_version: STRING,
        valid_from: TIMESTAMP,
        valid_until: TIMESTAMP,
        kill_chain_phases: KILL_CHAIN,
      },
      ['pattern', 'pattern_type', 'valid_from'],
      (o, p, s) => {
        timeOrder(o, p, s, 'valid_from', 'valid_until', true);
        if (own(o, 'pattern_type') === '' || own(o, 'pattern') === '') {
          s.add(childPath(p, own(o, 'pattern') === '' ? 'pattern' : 'pattern_type'), C.EMPTY_VALUE, 'must not be empty');
        }
        const pattern = own(o, 'pattern');
        if (own(o, 'pattern_type') === 'stix' && typeof pattern === 'string') {
          const parsed = tryParsePattern(pattern);
          if (!parsed.ok) s.add(childPath(p, 'pattern'), C.INVALID_PATTERN, parsed.error.message);
        }
      },
    ),
  ],
  [
    'infrastructure',
    core(
      'sdo',
      { name: STRING, description: STRING, infrastructure_types: STRINGS, aliases: STRINGS, kill_chain_phases: KILL_CHAIN, ...SEEN },
      ['name'],
      seenOrder,
    ),
  ],
  [
    'intrusion-set',
    core(
      'sdo',
      {
        name: STRING,
        description: STRING,
        aliases: STRINGS,
        ...SEEN,
        goals: STRINGS,
        resource_level: STRING,
        primary_motivation: STRING,
        secondary_motivations: STRINGS,
      },
      ['name'],
      seenOrder,
    ),
  ],
  [
    'location',
    core(
      'sdo',
      {
        name: STRING,
        description: STRING,
        latitude: num(-90, 90),
        longitude: num(-180, 180),
        precision: num(0),
        region: STRING,
        country: STRING,
        administrative_area: STRING,
        city: STRING,
        street_address: STRING,
        postal_code: STRING,
      },
      [],
      (o, p, s) => {
        atLeastOne(o, p, s, ['region', 'country', 'latitude'], 'a location needs region, country, or latitude and longitude');
        requires(o, p, s, 'latitude', 'longitude');
        requires(o, p, s, 'longitude', 'latitude');
        requires(o, p, s, 'precision', 'latitude');
      },
    ),
  ],
  [
    'malware',
    core(
      'sdo',
      {
        name: STRING,
        description: STRING,
        malware_types: STRINGS,
        is_family: BOOL,
        aliases: STRINGS,
        kill_chain_phases: KILL_CHAIN,
        ...SEEN,
        operating_system_refs: refs(SOFTWARE),
        architecture_execution_envs: STRINGS,
        implementation_languages: STRINGS,
        capabilities: STRINGS,
        sample_refs: refs(types('file', 'artifact')),
      },
      ['is_family'],
      (o, p, s) => {
        seenOrder(o, p, s);
        if (own(o, 'is_family') === true && !has(o, 'name'))
          s.add(childPath(p, 'name'), C.REQUIRED_PROPERTY, 'a malware family needs a name');
      },
    ),
  ],
  [
    'malware-analysis',
    core(
      'sdo',
      {
        product: STRING,
        version: STRING,
        host_vm_ref: ref(SOFTWARE),
        operating_system_ref: ref(SOFTWARE),
        installed_software_refs: refs(SOFTWARE),
        configuration_version: STRING,
        modules: STRINGS,
        analysis_engine_version: STRING,
        analysis_definition_version: STRING,
        submitted: TIMESTAMP,
        analysis_started: TIMESTAMP,
        analysis_ended: TIMESTAMP,
        result_name: STRING,
        result: STRING,
        analysis_sco_refs: refs(ANY_SCO),
        sample_ref: ref(types('file', 'artifact', 'network-traffic')),
      },
      ['product'],
      (o, p, s) => {
        atLeastOne(o, p, s, ['result', 'analysis_sco_refs']);
        timeOrder(o, p, s, 'analysis_started', 'analysis_ended');
      },
    ),
  ],
  ['note', core('sdo', { abstract: STRING, content: STRING, authors: STRINGS, object_refs: OBJECT_REFS }, ['content', 'object_refs'])],
  [
    'observed-data',
    core(
      'sdo',
      {
        first_observed: TIMESTAMP,
        last_observed: TIMESTAMP,
        number_observed: int(1, 999_999_999),
        objects: DICT,
        object_refs: refs(SDO_OR_SCO),
      },
      ['first_observed', 'last_observed', 'number_observed'],
      (o, p, s) => {
        timeOrder(o, p, s, 'first_observed', 'last_observed');
        notBoth(o, p, s, 'object_refs', 'objects');
        atLeastOne(o, p, s, ['object_refs', 'objects']);
      },
    ),
  ],
  [
    'opinion',
    core('sdo', { explanation: STRING, authors: STRINGS, opinion: oneOf('opinion-enum', ENUMS.opinion), object_refs: OBJECT_REFS }, [
      'opinion',
      'object_refs',
    ]),
  ],
  [
    'report',
    core('sdo', { name: STRING, description: STRING, report_types: STRINGS, published: TIMESTAMP, object_refs: OBJECT_REFS }, [
      'name',
      'published',
      'object_refs',
    ]),
  ],
  [
    'threat-actor',
    core(
      'sdo',
      {
        name: STRING,
        description: STRING,
        threat_actor_types: STRINGS,
        aliases: STRINGS,
        ...SEEN,
        roles: STRINGS,
        goals: STRINGS,
        sophistication: STRING,
        resource_level: STRING,
        primary_motivation: STRING,
        secondary_motivations: STRINGS,
        personal_motivations: STRINGS,
      },
      ['name'],
      seenOrder,
    ),
  ],
  [
    'tool',
    core(
      'sdo',
      { name: STRING, description: STRING, tool_types: STRINGS, aliases: STRINGS, kill_chain_phases: KILL_CHAIN, tool_version: STRING },
      ['name'],
    ),
  ],
  ['vulnerability', core('sdo', { name: STRING, description: STRING }, ['name'])],
]);

export const SRO_SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map<string, TypeSchema>([
  [
    'relationship',
    core(
      'sro',
      {
        relationship_type: STRING,
        description: STRING,
        source_ref: ref(SDO_OR_SCO),
        target_ref: ref(SDO_OR_SCO),
        start_time: TIMESTAMP,
        stop_time: TIMESTAMP,
      },
      ['relationship_type', 'source_ref', 'target_ref'],
      (o, p, s) => {
        const rt = own(o, 'relationship_type');
        if (typeof rt === 'string' && !RELATIONSHIP_TYPE.test(rt))
          s.add(childPath(p, 'relationship_type'), C.INVALID_VALUE, 'relationship_type uses a-z, 0-9 and -');
        timeOrder(o, p, s, 'start_time', 'stop_time', true);
      },
    ),
  ],
  [
    'sighting',
    core(
      'sro',
      {
        description: STRING,
        ...SEEN,
        count: int(0, 999_999_999),
        sighting_of_ref: ref(ANY_SDO),
        observed_data_refs: refs(types('observed-data')),
        where_sighted_refs: refs(types('identity', 'location')),
        summary: BOOL,
      },
      ['sighting_of_ref'],
      seenOrder,
    ),
  ],
]);
