import { ENUMS } from '../vocabularies';
import {
  ANY,
  BOOL,
  DICT,
  HASHES,
  HEX,
  INT,
  NON_NEGATIVE,
  STRING,
  STRINGS,
  TIMESTAMP,
  listOf,
  nestedList,
  num,
  object,
  oneOf,
  ref,
  refs,
  type ObjectSchema,
} from './kinds';
import { ANY_SCO, types } from './categories';

interface Predefined {
  appliesTo: string;
  schema: ObjectSchema;
}

// STIX 2.1 §6 predefined extensions, keyed by their reserved names.
export const PREDEFINED_EXTENSIONS: ReadonlyMap<string, Predefined> = new Map<string, Predefined>([
  ['archive-ext', { appliesTo: 'file', schema: object({ contains_refs: refs(ANY_SCO), comment: STRING }, ['contains_refs']) }],
  [
    'ntfs-ext',
    {
      appliesTo: 'file',
      schema: object({
        sid: STRING,
        alternate_data_streams: nestedList(object({ name: STRING, hashes: HASHES, size: NON_NEGATIVE }, ['name'])),
      }),
    },
  ],
  [
    'pdf-ext',
    {
      appliesTo: 'file',
      schema: object({ version: STRING, is_optimized: BOOL, document_info_dict: DICT, pdfid0: STRING, pdfid1: STRING }),
    },
  ],
  [
    'raster-image-ext',
    {
      appliesTo: 'file',
      schema: object({ image_height: NON_NEGATIVE, image_width: NON_NEGATIVE, bits_per_pixel: NON_NEGATIVE, exif_tags: DICT }),
    },
  ],
  [
    'windows-pebinary-ext',
    {
      appliesTo: 'file',
      schema: object(
        {
          pe_type: STRING,
          imphash: STRING,
          machine_hex: HEX,
          number_of_sections: NON_NEGATIVE,
          time_date_stamp: TIMESTAMP,
          pointer_to_symbol_table_hex: HEX,
          number_of_symbols: NON_NEGATIVE,
          size_of_optional_header: NON_NEGATIVE,
          characteristics_hex: HEX,
          file_header_hashes: HASHES,
          optional_header: ANY,
          sections: nestedList(object({ name: STRING, size: NON_NEGATIVE, entropy: num(), hashes: HASHES }, ['name'])),
        },
        ['pe_type'],
      ),
    },
  ],
  [
    'http-request-ext',
    {
      appliesTo: 'network-traffic',
      schema: object(
        {
          request_method: STRING,
          request_value: STRING,
          request_version: STRING,
          request_header: DICT,
          message_body_length: NON_NEGATIVE,
          message_body_data_ref: ref(types('artifact')),
        },
        ['request_method', 'request_value'],
      ),
    },
  ],
  [
    'icmp-ext',
    { appliesTo: 'network-traffic', schema: object({ icmp_type_hex: HEX, icmp_code_hex: HEX }, ['icmp_type_hex', 'icmp_code_hex']) },
  ],
  [
    'socket-ext',
    {
      appliesTo: 'network-traffic',
      schema: object(
        {
          address_family: oneOf('network-socket-address-family-enum', ENUMS.networkSocketAddressFamily),
          is_blocking: BOOL,
          is_listening: BOOL,
          options: DICT,
          socket_type: oneOf('network-socket-type-enum', ENUMS.networkSocketType),
          socket_descriptor: NON_NEGATIVE,
          socket_handle: INT,
        },
        ['address_family'],
      ),
    },
  ],
  ['tcp-ext', { appliesTo: 'network-traffic', schema: object({ src_flags_hex: HEX, dst_flags_hex: HEX }) }],
  [
    'windows-process-ext',
    {
      appliesTo: 'process',
      schema: object({
        aslr_enabled: BOOL,
        dep_enabled: BOOL,
        priority: STRING,
        owner_sid: STRING,
        window_title: STRING,
        startup_info: DICT,
        integrity_level: oneOf('windows-integrity-level-enum', ENUMS.windowsIntegrityLevel),
      }),
    },
  ],
  [
    'windows-service-ext',
    {
      appliesTo: 'process',
      schema: object({
        service_name: STRING,
        descriptions: STRINGS,
        display_name: STRING,
        group_name: STRING,
        start_type: oneOf('windows-service-start-type-enum', ENUMS.windowsServiceStartType),
        service_dll_refs: refs(types('file')),
        service_type: oneOf('windows-service-type-enum', ENUMS.windowsServiceType),
        service_status: oneOf('windows-service-status-enum', ENUMS.windowsServiceStatus),
      }),
    },
  ],
  ['unix-account-ext', { appliesTo: 'user-account', schema: object({ gid: INT, groups: STRINGS, home_dir: STRING, shell: STRING }) }],
]);

export const EXTENSION_TYPE = listOf('extension-type-enum', ENUMS.extensionType);
