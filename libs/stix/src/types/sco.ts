import type { Hashes, StixCyberObservableBase, StixId, StixTimestamp } from './common';

export type EncryptionAlgorithm = 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'mime-type-indicated';

export interface Artifact extends StixCyberObservableBase {
  type: 'artifact';
  mime_type?: string;
  payload_bin?: string;
  url?: string;
  hashes?: Hashes;
  encryption_algorithm?: EncryptionAlgorithm;
  decryption_key?: string;
}

export interface AutonomousSystem extends StixCyberObservableBase {
  type: 'autonomous-system';
  number: number;
  name?: string;
  rir?: string;
}

export interface Directory extends StixCyberObservableBase {
  type: 'directory';
  path: string;
  path_enc?: string;
  ctime?: StixTimestamp;
  mtime?: StixTimestamp;
  atime?: StixTimestamp;
  contains_refs?: StixId<'file' | 'directory'>[];
}

export interface DomainName extends StixCyberObservableBase {
  type: 'domain-name';
  value: string;
  resolves_to_refs?: StixId<'ipv4-addr' | 'ipv6-addr' | 'domain-name'>[];
}

export interface EmailAddress extends StixCyberObservableBase {
  type: 'email-addr';
  value: string;
  display_name?: string;
  belongs_to_ref?: StixId<'user-account'>;
}

export interface EmailMimePart {
  body?: string;
  body_raw_ref?: StixId<'artifact' | 'file'>;
  content_type?: string;
  content_disposition?: string;
}

export interface EmailMessage extends StixCyberObservableBase {
  type: 'email-message';
  is_multipart: boolean;
  date?: StixTimestamp;
  content_type?: string;
  from_ref?: StixId<'email-addr'>;
  sender_ref?: StixId<'email-addr'>;
  to_refs?: StixId<'email-addr'>[];
  cc_refs?: StixId<'email-addr'>[];
  bcc_refs?: StixId<'email-addr'>[];
  message_id?: string;
  subject?: string;
  received_lines?: string[];
  additional_header_fields?: Record<string, string | string[]>;
  body?: string;
  body_multipart?: EmailMimePart[];
  raw_email_ref?: StixId<'artifact'>;
}

export interface File extends StixCyberObservableBase {
  type: 'file';
  hashes?: Hashes;
  size?: number;
  name?: string;
  name_enc?: string;
  magic_number_hex?: string;
  mime_type?: string;
  ctime?: StixTimestamp;
  mtime?: StixTimestamp;
  atime?: StixTimestamp;
  parent_directory_ref?: StixId<'directory'>;
  contains_refs?: StixId[];
  content_ref?: StixId<'artifact'>;
}

export interface Ipv4Address extends StixCyberObservableBase {
  type: 'ipv4-addr';
  value: string;
  resolves_to_refs?: StixId<'mac-addr'>[];
  belongs_to_refs?: StixId<'autonomous-system'>[];
}

export interface Ipv6Address extends StixCyberObservableBase {
  type: 'ipv6-addr';
  value: string;
  resolves_to_refs?: StixId<'mac-addr'>[];
  belongs_to_refs?: StixId<'autonomous-system'>[];
}

export interface MacAddress extends StixCyberObservableBase {
  type: 'mac-addr';
  value: string;
}

export interface Mutex extends StixCyberObservableBase {
  type: 'mutex';
  name: string;
}

export interface NetworkTraffic extends StixCyberObservableBase {
  type: 'network-traffic';
  start?: StixTimestamp;
  end?: StixTimestamp;
  is_active?: boolean;
  src_ref?: StixId<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  dst_ref?: StixId<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  src_port?: number;
  dst_port?: number;
  protocols: string[];
  src_byte_count?: number;
  dst_byte_count?: number;
  src_packets?: number;
  dst_packets?: number;
  ipfix?: Record<string, string | number>;
  src_payload_ref?: StixId<'artifact'>;
  dst_payload_ref?: StixId<'artifact'>;
  encapsulates_refs?: StixId<'network-traffic'>[];
  encapsulated_by_ref?: StixId<'network-traffic'>;
}

export interface Process extends StixCyberObservableBase {
  type: 'process';
  is_hidden?: boolean;
  pid?: number;
  created_time?: StixTimestamp;
  cwd?: string;
  command_line?: string;
  environment_variables?: Record<string, string>;
  opened_connection_refs?: StixId<'network-traffic'>[];
  creator_user_ref?: StixId<'user-account'>;
  image_ref?: StixId<'file'>;
  parent_ref?: StixId<'process'>;
  child_refs?: StixId<'process'>[];
}

export interface Software extends StixCyberObservableBase {
  type: 'software';
  name: string;
  cpe?: string;
  swid?: string;
  languages?: string[];
  vendor?: string;
  version?: string;
}

export interface Url extends StixCyberObservableBase {
  type: 'url';
  value: string;
}

export interface UserAccount extends StixCyberObservableBase {
  type: 'user-account';
  user_id?: string;
  credential?: string;
  account_login?: string;
  /** account-type-ov; Cairn also uses 'github', 'linkedin' and 'telegram'. */
  account_type?: string;
  display_name?: string;
  is_service_account?: boolean;
  is_privileged?: boolean;
  can_escalate_privs?: boolean;
  is_disabled?: boolean;
  account_created?: StixTimestamp;
  account_expires?: StixTimestamp;
  credential_last_changed?: StixTimestamp;
  account_first_login?: StixTimestamp;
  account_last_login?: StixTimestamp;
}

export type WindowsRegistryDatatype =
  | 'REG_NONE'
  | 'REG_SZ'
  | 'REG_EXPAND_SZ'
  | 'REG_BINARY'
  | 'REG_DWORD'
  | 'REG_DWORD_BIG_ENDIAN'
  | 'REG_DWORD_LITTLE_ENDIAN'
  | 'REG_LINK'
  | 'REG_MULTI_SZ'
  | 'REG_RESOURCE_LIST'
  | 'REG_FULL_RESOURCE_DESCRIPTION'
  | 'REG_RESOURCE_REQUIREMENTS_LIST'
  | 'REG_QWORD'
  | 'REG_INVALID_TYPE';

export interface WindowsRegistryValue {
  name?: string;
  data?: string;
  data_type?: WindowsRegistryDatatype;
}

export interface WindowsRegistryKey extends StixCyberObservableBase {
  type: 'windows-registry-key';
  key?: string;
  values?: WindowsRegistryValue[];
  modified_time?: StixTimestamp;
  creator_user_ref?: StixId<'user-account'>;
  number_of_subkeys?: number;
}

export interface X509V3Extensions {
  basic_constraints?: string;
  name_constraints?: string;
  policy_constraints?: string;
  key_usage?: string;
  extended_key_usage?: string;
  subject_key_identifier?: string;
  authority_key_identifier?: string;
  subject_alternative_name?: string;
  issuer_alternative_name?: string;
  subject_directory_attributes?: string;
  crl_distribution_points?: string;
  inhibit_any_policy?: string;
  private_key_usage_period_not_before?: StixTimestamp;
  private_key_usage_period_not_after?: StixTimestamp;
  certificate_policies?: string;
  policy_mappings?: string;
}

export interface X509Certificate extends StixCyberObservableBase {
  type: 'x509-certificate';
  is_self_signed?: boolean;
  hashes?: Hashes;
  version?: string;
  serial_number?: string;
  signature_algorithm?: string;
  issuer?: string;
  validity_not_before?: StixTimestamp;
  validity_not_after?: StixTimestamp;
  subject?: string;
  subject_public_key_algorithm?: string;
  subject_public_key_modulus?: string;
  subject_public_key_exponent?: number;
  x509_v3_extensions?: X509V3Extensions;
}

export type StixCyberObservable =
  | Artifact
  | AutonomousSystem
  | Directory
  | DomainName
  | EmailAddress
  | EmailMessage
  | File
  | Ipv4Address
  | Ipv6Address
  | MacAddress
  | Mutex
  | NetworkTraffic
  | Process
  | Software
  | Url
  | UserAccount
  | WindowsRegistryKey
  | X509Certificate;
