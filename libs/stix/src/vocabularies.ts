import { TLP1_COLOURS, TLP_LEVELS } from './tlp';

// Closed enumerations are enforced by validate(); open vocabularies are listed
// so callers can suggest values, but any string is accepted for them.

/** STIX 2.1 closed enumerations (values outside are invalid). */
export const ENUMS = {
  encryptionAlgorithm: ['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated'],
  extensionType: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'],
  networkSocketAddressFamily: ['AF_UNSPEC', 'AF_INET', 'AF_IPX', 'AF_APPLETALK', 'AF_NETBIOS', 'AF_INET6', 'AF_IRDA', 'AF_BTH'],
  networkSocketType: ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'],
  opinion: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'],
  windowsIntegrityLevel: ['low', 'medium', 'high', 'system'],
  windowsRegistryDatatype: [
    'REG_NONE', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_BINARY', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_DWORD_LITTLE_ENDIAN',
    'REG_LINK', 'REG_MULTI_SZ', 'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTION', 'REG_RESOURCE_REQUIREMENTS_LIST',
    'REG_QWORD', 'REG_INVALID_TYPE',
  ],
  windowsServiceStartType: ['SERVICE_AUTO_START', 'SERVICE_BOOT_START', 'SERVICE_DEMAND_START', 'SERVICE_DISABLED', 'SERVICE_SYSTEM_ALERT'],
  windowsServiceType: ['SERVICE_KERNEL_DRIVER', 'SERVICE_FILE_SYSTEM_DRIVER', 'SERVICE_WIN32_OWN_PROCESS', 'SERVICE_WIN32_SHARE_PROCESS'],
  windowsServiceStatus: [
    'SERVICE_CONTINUE_PENDING', 'SERVICE_PAUSE_PENDING', 'SERVICE_PAUSED', 'SERVICE_RUNNING', 'SERVICE_START_PENDING',
    'SERVICE_STOP_PENDING', 'SERVICE_STOPPED',
  ],
  // As TLP marking definitions spell them (lower case); the levels themselves are listed in tlp.ts.
  tlp1: TLP1_COLOURS,
  tlp2: TLP_LEVELS.map((t) => t.toLowerCase()),
} as const satisfies Record<string, readonly string[]>;

/** STIX 2.1 open vocabularies (suggested values; others are allowed). */
export const OPEN_VOCABULARIES = {
  accountType: ['facebook', 'ldap', 'nis', 'openid', 'radius', 'skype', 'tacacs', 'twitter', 'unix', 'windows-local', 'windows-domain'],
  attackMotivation: [
    'accidental', 'coercion', 'dominance', 'ideology', 'notoriety', 'organizational-gain', 'personal-gain',
    'personal-satisfaction', 'revenge', 'unpredictable',
  ],
  attackResourceLevel: ['individual', 'club', 'contest', 'team', 'organization', 'government'],
  groupingContext: ['suspicious-activity', 'malware-analysis', 'unspecified'],
  hashAlgorithm: ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512', 'SSDEEP', 'TLSH'],
  identityClass: ['individual', 'group', 'system', 'organization', 'class', 'unknown'],
  implementationLanguage: [
    'applescript', 'bash', 'c', 'c++', 'c#', 'go', 'java', 'javascript', 'lua', 'objective-c', 'perl', 'php',
    'powershell', 'python', 'ruby', 'scala', 'swift', 'typescript', 'visual-basic', 'x86-32', 'x86-64',
  ],
  indicatorType: ['anomalous-activity', 'anonymization', 'benign', 'compromised', 'malicious-activity', 'attribution', 'unknown'],
  industrySector: [
    'agriculture', 'aerospace', 'automotive', 'chemical', 'commercial', 'communications', 'construction', 'defense',
    'education', 'energy', 'entertainment', 'financial-services', 'government', 'government-national',
    'government-regional', 'government-local', 'government-public-services', 'healthcare', 'hospitality-leisure',
    'infrastructure', 'dams', 'nuclear', 'water', 'insurance', 'manufacturing', 'mining', 'non-profit', 'pharmaceuticals',
    'retail', 'technology', 'telecommunications', 'transportation', 'utilities',
  ],
  infrastructureType: [
    'amplification', 'anonymization', 'botnet', 'command-and-control', 'control-system', 'exfiltration', 'firewall',
    'hosting-malware', 'hosting-target-lists', 'phishing', 'reconnaissance', 'routers-switches', 'staging',
    'workstation', 'unknown',
  ],
  malwareResult: ['malicious', 'suspicious', 'benign', 'unknown'],
  malwareType: [
    'adware', 'backdoor', 'bot', 'bootkit', 'ddos', 'downloader', 'dropper', 'exploit-kit', 'keylogger', 'ransomware',
    'remote-access-trojan', 'resource-exploitation', 'rogue-security-software', 'rootkit', 'screen-capture', 'spyware',
    'trojan', 'unknown', 'virus', 'webshell', 'wiper', 'worm',
  ],
  patternType: ['stix', 'pcre', 'sigma', 'snort', 'suricata', 'yara'],
  region: [
    'africa', 'eastern-africa', 'middle-africa', 'northern-africa', 'southern-africa', 'western-africa', 'americas',
    'latin-america-caribbean', 'south-america', 'caribbean', 'central-america', 'northern-america', 'asia', 'central-asia',
    'eastern-asia', 'southern-asia', 'south-eastern-asia', 'western-asia', 'europe', 'eastern-europe', 'northern-europe',
    'southern-europe', 'western-europe', 'oceania', 'antarctica', 'australia-new-zealand', 'melanesia', 'micronesia',
    'polynesia',
  ],
  reportType: [
    'attack-pattern', 'campaign', 'identity', 'indicator', 'intrusion-set', 'malware', 'observed-data',
    'threat-actor', 'threat-report', 'tool', 'vulnerability',
  ],
  threatActorType: [
    'activist', 'competitor', 'crime-syndicate', 'criminal', 'hacker', 'insider-accidental', 'insider-disgruntled',
    'nation-state', 'sensationalist', 'spy', 'terrorist', 'unknown',
  ],
  threatActorRole: ['agent', 'director', 'independent', 'infrastructure-architect', 'infrastructure-operator', 'malware-author', 'sponsor'],
  threatActorSophistication: ['none', 'minimal', 'intermediate', 'advanced', 'expert', 'innovator', 'strategic'],
  toolType: ['denial-of-service', 'exploitation', 'information-gathering', 'network-capture', 'credential-exploitation', 'remote-access', 'vulnerability-scanning', 'unknown'],
} as const satisfies Record<string, readonly string[]>;
