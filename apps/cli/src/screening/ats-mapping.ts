import type { ApplicantInput } from '@cairn/lookup';

/** What a CSV column may hold: one ApplicantInput list, a handle platform, the ref, or part of a name. */
export type Target =
  | 'ref'
  | 'email'
  | 'phone'
  | 'name'
  | 'first-name'
  | 'last-name'
  | 'resume-hash'
  | 'ip'
  | 'wallet'
  | 'address'
  | 'country'
  | 'github'
  | 'gitlab'
  | 'linkedin'
  | 'telegram'
  | 'twitter';
export const TARGETS: readonly Target[] = [
  'ref',
  'email',
  'phone',
  'name',
  'first-name',
  'last-name',
  'resume-hash',
  'ip',
  'wallet',
  'address',
  'country',
  'github',
  'gitlab',
  'linkedin',
  'telegram',
  'twitter',
];

// Header names as applicant-tracking systems export them (Greenhouse, Lever, Workday, Ashby,
// SmartRecruiters, BambooHR), compared lower-case with spaces, dashes and underscores removed.
const DETECT: ReadonlyArray<[RegExp, Target]> = [
  [/^(candidateid|applicantid|applicationid|id|ref|reference|externalid)$/, 'ref'],
  [/^(firstname|givenname|forename)$/, 'first-name'],
  [/^(lastname|surname|familyname)$/, 'last-name'],
  [/^(name|fullname|candidatename|applicantname|legalname|preferredname)$/, 'name'],
  [/e?mail/, 'email'],
  [/phone|mobile|cell|telephone/, 'phone'],
  [/github/, 'github'],
  [/gitlab/, 'gitlab'],
  [/linkedin/, 'linkedin'],
  [/telegram/, 'telegram'],
  [/twitter|^x(handle|url)?$/, 'twitter'],
  [/(resume|cv).*(sha256|hash|digest)|^(sha256|filehash)$/, 'resume-hash'],
  [/^(ip|ipaddress|lastip|signupip|loginip)$/, 'ip'],
  [/wallet|bitcoin|ethereum|crypto/, 'wallet'],
  [/^(country|countrycode|location(country)?)$/, 'country'],
  [/address|street|postal/, 'address'],
];

const key = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, '');

/** Each column's target from the built-in header rules; columns that match none are ignored. */
export function detectMapping(headers: readonly string[]): Array<Target | undefined> {
  return headers.map((h) => DETECT.find(([re]) => re.test(key(h)))?.[1]);
}

/**
 * `--map "ref=Candidate ID,email=Personal Email,email=Work Email,github=GitHub URL"`: only the
 * named columns are read, each as its target (a target may take several columns). Throws naming
 * an unknown target or a header that is not in the file.
 */
export function explicitMapping(spec: string, headers: readonly string[]): Array<Target | undefined> {
  const out: Array<Target | undefined> = headers.map(() => undefined);
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const target = part.slice(0, eq).trim() as Target;
    const header = part.slice(eq + 1).trim();
    if (eq < 1 || !TARGETS.includes(target)) throw new Error(`--map: '${part}' is not target=Header (targets: ${TARGETS.join(', ')})`);
    const col = headers.findIndex((h) => h.trim().toLowerCase() === header.toLowerCase());
    if (col < 0) throw new Error(`--map: no column '${header}' in the file (columns: ${headers.join(', ')})`);
    out[col] = target;
  }
  return out;
}

const LIST: Partial<Record<Target, keyof ApplicantInput>> = {
  email: 'emails',
  phone: 'phones',
  name: 'names',
  'resume-hash': 'resumeHashes',
  ip: 'ips',
  wallet: 'wallets',
  address: 'addresses',
};
const PLATFORMS = new Set<Target>(['github', 'gitlab', 'linkedin', 'telegram', 'twitter']);

/** Several values in one cell are separated by `;` or a line break (addresses: line breaks are part of the value, so `;` only). */
const split = (target: Target, cell: string) =>
  cell
    .split(target === 'address' ? /;/ : /[;\n]/)
    .map((v) => v.trim())
    .filter(Boolean);

/** One data row as an applicant; rows without a ref column are numbered by their line (`line:2`). */
export function applicantOf(
  row: readonly string[],
  mapping: ReadonlyArray<Target | undefined>,
  line: number,
  defaultCountry?: string,
): ApplicantInput {
  const a: ApplicantInput = { ref: `line:${line}` };
  const lists = a as unknown as Record<string, string[] | undefined>;
  let first = '';
  let last = '';
  mapping.forEach((target, col) => {
    const cell = (row[col] ?? '').trim();
    if (!target || cell === '') return;
    if (target === 'ref') a.ref = cell;
    else if (target === 'first-name') first = cell;
    else if (target === 'last-name') last = cell;
    else if (target === 'country') a.country = cell;
    else if (PLATFORMS.has(target)) (a.handles ??= []).push(...split(target, cell).map((value) => ({ platform: target, value })));
    else {
      const list = LIST[target]!;
      lists[list] = [...(lists[list] ?? []), ...split(target, cell)];
    }
  });
  const full = `${first} ${last}`.trim();
  if (full) a.names = [...(a.names ?? []), full];
  if (!a.country && defaultCountry) a.country = defaultCountry;
  return a;
}
