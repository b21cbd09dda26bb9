import { readFile, writeFile } from 'node:fs/promises';
import type { ApplicantInput, ApplicantScreening } from '@cairn/lookup';
import { CliCommand, CliUsageError, type CliIO } from '../cli-command';
import { optionalFlag, requireFlag } from '../cli-runner';
import { parseCsv, csvField } from '../screening/csv';
import { applicantOf, detectMapping, explicitMapping, TARGETS, type Target } from '../screening/ats-mapping';

const SCREEN = `query($a: [ApplicantInput!]!) { screenApplicants(applicants: $a) {
  ref
  matches { field value normalised reporters cells { sector area label } firstSeen lastSeen sightings interviewStages roleCategories linkedActors linkedPersonas maxConfidence latestTlp }
  rejected { field value reason }
  signals { matchedIdentifiers matchedFields sightedIdentifiers maxReporters linkedActors linkedPersonas interviewStages roleCategories firstSeen lastSeen } } }`;

type Gql = {
  data?: { screenApplicants: ApplicantScreening[] } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
};

/** Screening a CSV over HTTP, with what the command needs from outside (tests pass their own). */
export interface ScreenDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}
const DEFAULT_DEPS: ScreenDeps = {
  fetch: (...a) => fetch(...a),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => performance.now(),
};

const CSV_HEADER = [
  'ref',
  'matched_identifiers',
  'matched_fields',
  'max_reporters',
  'sighted_identifiers',
  'interview_stages',
  'role_categories',
  'linked_actors',
  'linked_personas',
  'first_seen',
  'last_seen',
  'matches',
  'rejected',
];

/** One report row per applicant; a match as `FIELD value: n reporters, cells, stages`; rejects as `FIELD value: reason`. */
export function csvReport(answers: ApplicantScreening[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const a of answers) {
    const s = a.signals;
    const matches = a.matches.map(
      (m) =>
        `${m.field} ${m.value}: ${m.reporters ?? 'few'} reporters${m.cells.length ? `, ${m.cells.map((c) => `${c.sector}/${c.area}`).join(' ')}` : ''}${m.interviewStages.length ? `, ${m.interviewStages.join(' ')}` : ''}`,
    );
    const rejected = a.rejected.map((r) => `${r.field} ${r.value}: ${r.reason}`);
    const fields = [
      a.ref,
      s.matchedIdentifiers,
      s.matchedFields.join(' '),
      s.maxReporters,
      s.sightedIdentifiers,
      s.interviewStages.join(' '),
      s.roleCategories.join(' '),
      s.linkedActors.join('; '),
      s.linkedPersonas.join(' '),
      s.firstSeen,
      s.lastSeen,
      matches.join(' | '),
      rejected.join(' | '),
    ];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface ScreenOptions {
  url: string;
  key: string;
  batch: number;
  waitForQuota: boolean;
}

/** Screens applicants in batches over GraphQL; progress after each batch; waits out RATE_LIMITED when asked to. */
export async function screenOverHttp(
  applicants: ApplicantInput[],
  o: ScreenOptions,
  io: CliIO,
  deps: ScreenDeps = DEFAULT_DEPS,
): Promise<ApplicantScreening[]> {
  const out: ApplicantScreening[] = [];
  const started = deps.now();
  const endpoint = `${o.url.replace(/\/+$/, '')}/graphql`;
  for (let at = 0; at < applicants.length;) {
    const part = applicants.slice(at, at + o.batch);
    const res = await deps.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.key}` },
      body: JSON.stringify({ query: SCREEN, variables: { a: part } }),
    });
    const body = (await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }))) as Gql;
    const error = body.errors?.[0];
    if (error?.extensions?.code === 'RATE_LIMITED' && o.waitForQuota) {
      const seconds = Number(error.extensions.retryAfterSeconds ?? 60);
      io.err(`lookup quota reached after ${at} applicants; waiting ${seconds} s (${String(error.extensions.quota)})`);
      await deps.sleep(seconds * 1000);
      continue;
    }
    if (error || !body.data) {
      const code = error?.extensions?.code ? ` [${String(error.extensions.code)}]` : '';
      throw new ScreenFailed(
        `screening stopped after ${at} of ${applicants.length} applicants: ${error?.message ?? `HTTP ${res.status}`}${code}`,
      );
    }
    out.push(...body.data.screenApplicants);
    at += part.length;
    const secs = (deps.now() - started) / 1000;
    io.err(
      `screened ${at}/${applicants.length} applicants, ${out.reduce((n, a) => n + a.matches.length, 0)} matched identifiers, ${secs.toFixed(1)} s`,
    );
  }
  return out;
}

export class ScreenFailed extends Error {}

const MAPPING_HELP =
  `Columns are found by header (case, spaces, - and _ ignored): ref = Candidate ID / Applicant ID / ID / Reference; name = Name / Full Name, or First Name + Last Name; ` +
  `email = any header with "email"; phone = "phone" / "mobile"; github, gitlab, linkedin, telegram, twitter = a header with that word (login, @login or profile URL); ` +
  `resume-hash = Resume SHA256 / CV Hash; ip = IP / IP Address; wallet = "wallet"; address = "address"; country = Country (for phones without +). ` +
  `Several values in one cell: separate with ";". --map replaces the detection: only the columns it names are read.`;

export function screenCommand(deps: ScreenDeps = DEFAULT_DEPS): CliCommand {
  return {
    path: ['screen'],
    usage: '<applicants.csv|->',
    description: `Screen an applicant-tracking export against the exchange over its GraphQL API (screenApplicants, as the key's tenant: its visibility, its lookup quota), writing a CSV or JSON report; progress on stderr. ${MAPPING_HELP}`,
    flags: {
      url: { description: 'Base URL of the Cairn API, e.g. https://cairn.example.org (required)' },
      'key-file': { description: 'File holding the API key (intel:read), kept out of the command line (required)' },
      map: { description: `Column mapping target=Header,… (targets: ${TARGETS.join(', ')})` },
      format: { description: 'csv (default, one row per applicant) or json (the full answers)' },
      out: { description: 'Report file (default: stdout)' },
      batch: { description: 'Applicants per call (default 500; at most the server’s MAX_SCREEN_APPLICANTS)' },
      country: { description: 'Country (ISO 3166 alpha-2) for phones without a country code, where the row has none' },
      delimiter: { description: 'Field separator of the CSV (default ,; e.g. ; for European Excel exports)' },
      'wait-for-quota': { description: 'When the lookup quota is reached, wait until it resets and go on (default: stop)', boolean: true },
    },
    async run(args, io) {
      if (args.positional.length !== 1) throw new CliUsageError('screen takes one file (or - for stdin)');
      const format = optionalFlag(args, 'format') ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new CliUsageError(`--format must be csv or json, not '${format}'`);
      const batch = Number(optionalFlag(args, 'batch') ?? 500);
      if (!Number.isInteger(batch) || batch < 1 || batch > 100_000)
        throw new CliUsageError('--batch must be a whole number from 1 to 100000');
      const url = requireFlag(args, 'url');
      if (!/^https?:\/\//.test(url)) throw new CliUsageError('--url must start with http:// or https://');
      const key = (await readFile(requireFlag(args, 'key-file'), 'utf8')).trim();
      const country = optionalFlag(args, 'country');
      const delimiter = optionalFlag(args, 'delimiter') ?? ',';
      if (delimiter.length !== 1) throw new CliUsageError('--delimiter is one character');

      const file = args.positional[0];
      const text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
      let rows: string[][];
      let mapping: Array<Target | undefined>;
      try {
        rows = parseCsv(text, delimiter);
        if (rows.length === 0) throw new Error('the file is empty');
        const spec = optionalFlag(args, 'map');
        mapping = spec ? explicitMapping(spec, rows[0]) : detectMapping(rows[0]);
      } catch (err) {
        throw new CliUsageError(`${file}: ${(err as Error).message}`);
      }
      const used = rows[0].map((h, i) => (mapping[i] ? `${h} → ${mapping[i]}` : undefined)).filter(Boolean);
      if (!mapping.some((t) => t && t !== 'ref' && t !== 'country'))
        throw new CliUsageError(`${file}: no column holds an identifier (columns: ${rows[0].join(', ')}); use --map`);
      io.err(`columns: ${used.join(', ')}`);
      // Line numbers as a spreadsheet shows them: the header is line 1.
      const applicants = rows.slice(1).map((r, i) => applicantOf(r, mapping, i + 2, country));

      let answers: ApplicantScreening[];
      try {
        answers = await screenOverHttp(applicants, { url, key, batch, waitForQuota: args.flags['wait-for-quota'] === true }, io, deps);
      } catch (err) {
        if (!(err instanceof ScreenFailed)) throw err;
        io.err(`Error: ${err.message}`);
        return 1;
      }
      const report = format === 'json' ? `${JSON.stringify(answers, null, 2)}\n` : csvReport(answers);
      const target = optionalFlag(args, 'out');
      if (target) await writeFile(target, report, 'utf8');
      else io.out(report.trimEnd());
      const matched = answers.filter((a) => a.matches.length > 0).length;
      io.err(
        `${answers.length} applicants screened: ${matched} with matches, ${answers.reduce((n, a) => n + a.rejected.length, 0)} values rejected${target ? `; report in ${target}` : ''}`,
      );
      return 0;
    },
  };
}

export const screenCommands: CliCommand[] = [screenCommand()];
