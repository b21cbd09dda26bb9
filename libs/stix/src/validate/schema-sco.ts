import { StixErrorCode as C } from '../errors';
import { isIpv4Value, isIpv6Value } from '../normalise/ip';
import { ENUMS } from '../vocabularies';
import { ANY_SCO, types } from './categories';
import { childPath, has, own, type IssueSink, type Json } from './context';
import {
  BINARY,
  BOOL,
  DICT,
  HASHES,
  HEX,
  INT,
  NON_NEGATIVE,
  PORT,
  STRING,
  STRINGS,
  TIMESTAMP,
  nested,
  nestedList,
  object,
  oneOf,
  ref,
  refs,
} from './kinds';
import { atLeastOne, notBoth, requires, timeOrder } from './rules';
import { observable, type TypeSchema } from './schema-common';

const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const EMAIL_ADDR = types('email-addr');
const USER_ACCOUNT = types('user-account');
const ARTIFACT = types('artifact');

function valueMatches(test: (v: string) => boolean, message: string) {
  return (o: Json, path: string, sink: IssueSink) => {
    const v = own(o, 'value');
    if (typeof v === 'string' && !test(v)) sink.add(childPath(path, 'value'), C.INVALID_VALUE, message);
  };
}

function urlParses(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

// Properties other than type/id/common ones; process and x509 must carry one.
const PROCESS_PROPS = [
  'is_hidden',
  'pid',
  'created_time',
  'cwd',
  'command_line',
  'environment_variables',
  'opened_connection_refs',
  'creator_user_ref',
  'image_ref',
  'parent_ref',
  'child_refs',
  'extensions',
];
const X509_PROPS = [
  'is_self_signed',
  'hashes',
  'version',
  'serial_number',
  'signature_algorithm',
  'issuer',
  'validity_not_before',
  'validity_not_after',
  'subject',
  'subject_public_key_algorithm',
  'subject_public_key_modulus',
  'subject_public_key_exponent',
  'x509_v3_extensions',
];

const MIME_PART = object({ body: STRING, body_raw_ref: ref(types('artifact', 'file')), content_type: STRING, content_disposition: STRING });
const REGISTRY_VALUE = object({
  name: STRING,
  data: STRING,
  data_type: oneOf('windows-registry-datatype-enum', ENUMS.windowsRegistryDatatype),
});
const X509_V3 = object({
  basic_constraints: STRING,
  name_constraints: STRING,
  policy_constraints: STRING,
  key_usage: STRING,
  extended_key_usage: STRING,
  subject_key_identifier: STRING,
  authority_key_identifier: STRING,
  subject_alternative_name: STRING,
  issuer_alternative_name: STRING,
  subject_directory_attributes: STRING,
  crl_distribution_points: STRING,
  inhibit_any_policy: STRING,
  private_key_usage_period_not_before: TIMESTAMP,
  private_key_usage_period_not_after: TIMESTAMP,
  certificate_policies: STRING,
  policy_mappings: STRING,
});
const ADDRESS_TARGET = types('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name');
const ADDR_REFS = { resolves_to_refs: refs(types('mac-addr')), belongs_to_refs: refs(types('autonomous-system')) };

export const SCO_SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map<string, TypeSchema>([
  [
    'artifact',
    observable(
      {
        mime_type: STRING,
        payload_bin: BINARY,
        url: STRING,
        hashes: HASHES,
        encryption_algorithm: oneOf('encryption-algorithm-enum', ENUMS.encryptionAlgorithm),
        decryption_key: STRING,
      },
      [],
      (o, p, s) => {
        notBoth(o, p, s, 'payload_bin', 'url');
        atLeastOne(o, p, s, ['payload_bin', 'url']);
        requires(o, p, s, 'url', 'hashes');
        requires(o, p, s, 'decryption_key', 'encryption_algorithm');
      },
    ),
  ],
  ['autonomous-system', observable({ number: NON_NEGATIVE, name: STRING, rir: STRING }, ['number'])],
  [
    'directory',
    observable(
      {
        path: STRING,
        path_enc: STRING,
        ctime: TIMESTAMP,
        mtime: TIMESTAMP,
        atime: TIMESTAMP,
        contains_refs: refs(types('file', 'directory')),
      },
      ['path'],
    ),
  ],
  ['domain-name', observable({ value: STRING, resolves_to_refs: refs(types('ipv4-addr', 'ipv6-addr', 'domain-name')) }, ['value'])],
  [
    'email-addr',
    observable(
      { value: STRING, display_name: STRING, belongs_to_ref: ref(USER_ACCOUNT) },
      ['value'],
      valueMatches((v) => EMAIL_RE.test(v), 'not an e-mail address'),
    ),
  ],
  [
    'email-message',
    observable(
      {
        is_multipart: BOOL,
        date: TIMESTAMP,
        content_type: STRING,
        from_ref: ref(EMAIL_ADDR),
        sender_ref: ref(EMAIL_ADDR),
        to_refs: refs(EMAIL_ADDR),
        cc_refs: refs(EMAIL_ADDR),
        bcc_refs: refs(EMAIL_ADDR),
        message_id: STRING,
        subject: STRING,
        received_lines: STRINGS,
        additional_header_fields: DICT,
        body: STRING,
        body_multipart: nestedList(MIME_PART),
        raw_email_ref: ref(ARTIFACT),
      },
      ['is_multipart'],
      (o, p, s) => {
        const multipart = own(o, 'is_multipart');
        if (multipart === true && has(o, 'body'))
          s.add(childPath(p, 'body'), C.FORBIDDEN_PROPERTY, 'a multipart message uses body_multipart');
        if (multipart === false && has(o, 'body_multipart'))
          s.add(childPath(p, 'body_multipart'), C.FORBIDDEN_PROPERTY, 'body_multipart needs is_multipart true');
      },
    ),
  ],
  [
    'file',
    observable(
      {
        hashes: HASHES,
        size: NON_NEGATIVE,
        name: STRING,
        name_enc: STRING,
        magic_number_hex: HEX,
        mime_type: STRING,
        ctime: TIMESTAMP,
        mtime: TIMESTAMP,
        atime: TIMESTAMP,
        parent_directory_ref: ref(types('directory')),
        contains_refs: refs(ANY_SCO),
        content_ref: ref(ARTIFACT),
      },
      [],
      (o, p, s) => atLeastOne(o, p, s, ['hashes', 'name']),
    ),
  ],
  ['ipv4-addr', observable({ value: STRING, ...ADDR_REFS }, ['value'], valueMatches(isIpv4Value, 'not an IPv4 address or CIDR block'))],
  ['ipv6-addr', observable({ value: STRING, ...ADDR_REFS }, ['value'], valueMatches(isIpv6Value, 'not an IPv6 address or CIDR block'))],
  [
    'mac-addr',
    observable(
      { value: STRING },
      ['value'],
      valueMatches((v) => MAC_RE.test(v), 'MAC addresses are lower-case, colon-separated, with leading zeros'),
    ),
  ],
  ['mutex', observable({ name: STRING }, ['name'])],
  [
    'network-traffic',
    observable(
      {
        start: TIMESTAMP,
        end: TIMESTAMP,
        is_active: BOOL,
        src_ref: ref(ADDRESS_TARGET),
        dst_ref: ref(ADDRESS_TARGET),
        src_port: PORT,
        dst_port: PORT,
        protocols: STRINGS,
        src_byte_count: NON_NEGATIVE,
        dst_byte_count: NON_NEGATIVE,
        src_packets: NON_NEGATIVE,
        dst_packets: NON_NEGATIVE,
        ipfix: DICT,
        src_payload_ref: ref(ARTIFACT),
        dst_payload_ref: ref(ARTIFACT),
        encapsulates_refs: refs(types('network-traffic')),
        encapsulated_by_ref: ref(types('network-traffic')),
      },
      ['protocols'],
      (o, p, s) => {
        atLeastOne(o, p, s, ['src_ref', 'dst_ref']);
        timeOrder(o, p, s, 'start', 'end');
        if (own(o, 'is_active') === true && has(o, 'end')) s.add(childPath(p, 'end'), C.FORBIDDEN_PROPERTY, 'active traffic has no end');
      },
    ),
  ],
  [
    'process',
    observable(
      {
        is_hidden: BOOL,
        pid: INT,
        created_time: TIMESTAMP,
        cwd: STRING,
        command_line: STRING,
        environment_variables: DICT,
        opened_connection_refs: refs(types('network-traffic')),
        creator_user_ref: ref(USER_ACCOUNT),
        image_ref: ref(types('file')),
        parent_ref: ref(types('process')),
        child_refs: refs(types('process')),
      },
      [],
      (o, p, s) => atLeastOne(o, p, s, PROCESS_PROPS, 'a process needs at least one process property'),
    ),
  ],
  ['software', observable({ name: STRING, cpe: STRING, swid: STRING, languages: STRINGS, vendor: STRING, version: STRING }, ['name'])],
  ['url', observable({ value: STRING }, ['value'], valueMatches(urlParses, 'not a URL'))],
  [
    'user-account',
    observable({
      user_id: STRING,
      credential: STRING,
      account_login: STRING,
      account_type: STRING,
      display_name: STRING,
      is_service_account: BOOL,
      is_privileged: BOOL,
      can_escalate_privs: BOOL,
      is_disabled: BOOL,
      account_created: TIMESTAMP,
      account_expires: TIMESTAMP,
      credential_last_changed: TIMESTAMP,
      account_first_login: TIMESTAMP,
      account_last_login: TIMESTAMP,
    }),
  ],
  [
    'windows-registry-key',
    observable({
      key: STRING,
      values: nestedList(REGISTRY_VALUE),
      modified_time: TIMESTAMP,
      creator_user_ref: ref(USER_ACCOUNT),
      number_of_subkeys: NON_NEGATIVE,
    }),
  ],
  [
    'x509-certificate',
    observable(
      {
        is_self_signed: BOOL,
        hashes: HASHES,
        version: STRING,
        serial_number: STRING,
        signature_algorithm: STRING,
        issuer: STRING,
        validity_not_before: TIMESTAMP,
        validity_not_after: TIMESTAMP,
        subject: STRING,
        subject_public_key_algorithm: STRING,
        subject_public_key_modulus: STRING,
        subject_public_key_exponent: NON_NEGATIVE,
        x509_v3_extensions: nested(X509_V3),
      },
      [],
      (o, p, s) => {
        atLeastOne(o, p, s, X509_PROPS, 'an X.509 certificate needs at least one certificate property');
        timeOrder(o, p, s, 'validity_not_before', 'validity_not_after');
      },
    ),
  ],
  // Cairn's custom observables (OpenCTI names).
  ['phone-number', observable({ value: STRING }, ['value'])],
  ['cryptocurrency-wallet', observable({ value: STRING }, ['value'])],
  ['bank-account', observable({ iban: STRING, bic: STRING, account_number: STRING }, ['iban'])],
  ['persona', observable({ persona_name: STRING, persona_type: STRING }, ['persona_name', 'persona_type'])],
]);
