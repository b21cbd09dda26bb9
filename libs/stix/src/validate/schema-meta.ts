import { StixErrorCode as C } from '../errors';
import { TLP2_EXTENSION_ID, tlpFromMarkingDefinition, tlpOfMarkingRef } from '../tlp';
import { ENUMS } from '../vocabularies';
import { ANY_OBJECT } from './categories';
import { childPath, isRecord, own, type IssueSink, type Json } from './context';
import { ANY, DICT, STRING, STRINGS, TIMESTAMP, ref } from './kinds';
import { EXTENSION_TYPE } from './predefined-extensions';
import { requires } from './rules';
import { core, marking, type TypeSchema } from './schema-common';

const LANG_KEY = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const TLP1_VALUES: ReadonlySet<string> = new Set(ENUMS.tlp1);
const TLP2_VALUES: ReadonlySet<string> = new Set(ENUMS.tlp2);

function markingRules(o: Json, path: string, sink: IssueSink): void {
  requires(o, path, sink, 'definition_type', 'definition');
  requires(o, path, sink, 'definition', 'definition_type');
  const type = own(o, 'definition_type');
  const def = own(o, 'definition');
  const defPath = childPath(path, 'definition');
  if (def !== undefined && !isRecord(def)) sink.add(defPath, C.WRONG_TYPE, 'definition must be an object');
  if (type === 'tlp' && isRecord(def)) {
    const colour = own(def, 'tlp');
    if (typeof colour !== 'string' || !TLP1_VALUES.has(colour))
      sink.add(childPath(defPath, 'tlp'), C.INVALID_VOCABULARY, 'tlp must be white, green, amber or red');
  }
  if (type === 'statement' && isRecord(def) && typeof own(def, 'statement') !== 'string') {
    sink.add(childPath(defPath, 'statement'), C.REQUIRED_PROPERTY, 'a statement marking needs a statement string');
  }
  const ext = own(o, 'extensions');
  const tlp2 = isRecord(ext) ? own(ext, TLP2_EXTENSION_ID) : undefined;
  if (isRecord(tlp2) && Object.hasOwn(tlp2, 'tlp_2_0')) {
    const level = tlp2.tlp_2_0;
    if (typeof level !== 'string' || !TLP2_VALUES.has(level)) {
      sink.add(
        childPath(childPath(childPath(path, 'extensions'), TLP2_EXTENSION_ID), 'tlp_2_0'),
        C.INVALID_VOCABULARY,
        'not a TLP 2.0 level',
      );
    }
  }
  // Access control keys off the standard TLP ids, so their content must not claim another level.
  const claimed = tlpOfMarkingRef(own(o, 'id'));
  const declared = tlpFromMarkingDefinition(o);
  if (claimed && declared && claimed !== declared)
    sink.add(path, C.INVALID_MARKING, `the standard TLP:${claimed} id cannot define TLP:${declared}`);
}

function languageContentRules(o: Json, path: string, sink: IssueSink): void {
  const contents = own(o, 'contents');
  if (!isRecord(contents)) return;
  const at = childPath(path, 'contents');
  for (const lang of Object.keys(contents)) {
    if (!LANG_KEY.test(lang)) sink.add(childPath(at, lang), C.INVALID_VALUE, 'contents keys are RFC 5646 language tags');
    if (!isRecord(contents[lang])) sink.add(childPath(at, lang), C.WRONG_TYPE, 'each language maps property names to translations');
  }
}

export const META_SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map<string, TypeSchema>([
  ['marking-definition', marking({ name: STRING, definition_type: STRING, definition: ANY }, markingRules)],
  [
    'extension-definition',
    core(
      'meta',
      {
        name: STRING,
        description: STRING,
        schema: STRING,
        version: STRING,
        extension_types: EXTENSION_TYPE,
        extension_properties: STRINGS,
      },
      ['created_by_ref', 'name', 'schema', 'version', 'extension_types'],
    ),
  ],
  [
    'language-content',
    core(
      'meta',
      { object_ref: ref(ANY_OBJECT), object_modified: TIMESTAMP, contents: DICT },
      ['object_ref', 'contents'],
      languageContentRules,
    ),
  ],
]);
