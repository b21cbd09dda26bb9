import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicantScreening } from '@cairn/lookup';
import type { TenantEntity } from '@cairn/tenancy';
import { runCli } from '../apps/cli/src/cli-runner';
import { screenCommand } from '../apps/cli/src/commands/screen.command';
import { parseCsv } from '../apps/cli/src/screening/csv';
import { startTestApp, type TestApp } from './support/test-app';
import { fakeIo } from './support/cli';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { fresh, publishRaw, sco } from './factories/screening.factory';

describe('cairn screen: an applicant-tracking CSV export screened over HTTP', () => {
  let api: TestApp;
  let dir: string;
  let keyFile: string;
  let publisher: TenantEntity;
  let viewerKey: string;
  let publisherKey: string;
  const v = fresh();
  const w = fresh();

  beforeAll(async () => {
    api = await startTestApp();
    publisher = await newTenant(api.app, { country: 'GB', sectors: ['financial-services'] });
    const viewer = await newTenant(api.app, { country: 'GB', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'GB', sectors: ['financial-services'] });
    publisherKey = await newApiKey(api.app, publisher);
    viewerKey = await newApiKey(api.app, viewer, ['intel:read']);
    await publishRaw(
      api,
      publisherKey,
      [
        sco('email-addr', { value: v.gmail }),
        sco('phone-number', { value: v.phone }),
        sco('user-account', { account_type: 'github', account_login: w.github }),
      ],
      { distribution: 'COMMUNITY', tlp: 'GREEN' },
    );
    dir = mkdtempSync(join(tmpdir(), 'cairn-screen-'));
    keyFile = join(dir, 'key');
    writeFileSync(keyFile, `${viewerKey.replace(/^Bearer /, '')}\n`);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  // A Greenhouse-style export: quoted fields, a comma and a line break inside quotes, two e-mails in one cell.
  const csv = () =>
    [
      'Candidate ID,First Name,Last Name,Email,Phone,GitHub URL,Notes',
      `g-1,Dan,Kim,"${v.gmailVariant}; other@example.org",${v.phoneVariant},,"met at ""fair"", London"`,
      `g-2,Ann,"Lee","ann@example.org","020 7946 0000",https://github.com/${w.github},"two\nlines"`,
      `g-3,=HYPERLINK("x"),Bad,not-an-email,call me,,`,
    ].join('\r\n');

  it('reads the header mapping, screens every row, reports matches and bad values as CSV, with progress on stderr', async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, csv());
    const out = join(dir, 'report.csv');
    const run = fakeIo();
    const code = await runCli(
      [screenCommand()],
      ['screen', file, '--url', api.baseUrl, '--key-file', keyFile, '--out', out, '--batch', '2', '--country', 'GB'],
      run.io,
    );
    expect(run.err.join('\n')).toContain(
      'columns: Candidate ID → ref, First Name → first-name, Last Name → last-name, Email → email, Phone → phone, GitHub URL → github',
    );
    expect([code, run.err.filter((l) => l.startsWith('Error'))]).toEqual([0, []]);
    expect(run.err.filter((l) => l.startsWith('screened '))).toEqual([
      expect.stringMatching(/^screened 2\/3 applicants/),
      expect.stringMatching(/^screened 3\/3 applicants/),
    ]);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0].slice(0, 4)).toEqual(['ref', 'matched_identifiers', 'matched_fields', 'max_reporters']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['g-1', '2', 'EMAIL PHONE'],
      ['g-2', '1', 'HANDLE'],
      ['g-3', '0', ''],
    ]);
    expect(rows[3][12]).toMatch(/EMAIL not-an-email: .*@.*PHONE call me: /);
    // The national number was read in GB (--country), so it is not rejected.
    expect(rows[2][12]).toBe('');
  });

  it('writes the full answers as JSON; --map reads only the named columns; a formula in a cell cannot run in a spreadsheet', async () => {
    const run = fakeIo(csv());
    expect(
      await runCli(
        [screenCommand()],
        ['screen', '-', '--url', api.baseUrl, '--key-file', keyFile, '--format', 'json', '--map', 'ref=Candidate ID,email=Email'],
        run.io,
      ),
    ).toBe(0);
    const answers = JSON.parse(run.out.join('\n')) as ApplicantScreening[];
    expect(answers.map((a) => a.ref)).toEqual(['g-1', 'g-2', 'g-3']);
    expect(answers[0].matches).toEqual([expect.objectContaining({ field: 'EMAIL', value: v.gmailVariant, reporters: null })]);
    expect(answers[1].matches).toEqual([]); // the GitHub column is not mapped

    const csvRun = fakeIo(csv());
    expect(
      await runCli(
        [screenCommand()],
        ['screen', '-', '--url', api.baseUrl, '--key-file', keyFile, '--map', 'ref=First Name,email=Email'],
        csvRun.io,
      ),
    ).toBe(0);
    expect(csvRun.out.join('\n')).toContain(`'=HYPERLINK`);
    expect(csvRun.out.join('\n')).not.toMatch(/^=HYPERLINK|,=HYPERLINK/m);
  });

  it('says what is wrong with the command line, the file or the key, and exits non-zero', async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, csv());
    const bad = async (argv: string[], stdin = '') => {
      const run = fakeIo(stdin);
      return { code: await runCli([screenCommand()], argv, run.io), text: run.text() };
    };
    expect(await bad(['screen', file, '--key-file', keyFile])).toMatchObject({
      code: 2,
      text: expect.stringContaining('--url is required'),
    });
    expect(await bad(['screen', file, '--url', api.baseUrl, '--key-file', keyFile, '--map', 'email=Nope'])).toMatchObject({
      code: 2,
      text: expect.stringContaining("no column 'Nope'"),
    });
    expect(await bad(['screen', file, '--url', api.baseUrl, '--key-file', keyFile, '--map', 'shoe=Email'])).toMatchObject({
      code: 2,
      text: expect.stringContaining("'shoe=Email' is not target=Header"),
    });
    expect(await bad(['screen', '-', '--url', api.baseUrl, '--key-file', keyFile], 'Foo,Bar\n1,2\n')).toMatchObject({
      code: 2,
      text: expect.stringContaining('no column holds an identifier'),
    });
    expect(await bad(['screen', '-', '--url', api.baseUrl, '--key-file', keyFile], 'Email\n"open')).toMatchObject({
      code: 2,
      text: expect.stringContaining('unterminated quoted field'),
    });
    const wrongKey = join(dir, 'wrong');
    writeFileSync(wrongKey, 'cairn_not_a_key');
    expect(await bad(['screen', file, '--url', api.baseUrl, '--key-file', wrongKey])).toMatchObject({
      code: 1,
      text: expect.stringContaining('[UNAUTHENTICATED]'),
    });
    const help = fakeIo();
    expect(await runCli([screenCommand()], ['screen', '--help'], help.io)).toBe(0);
    expect(help.text()).toMatch(/First Name \+ Last Name/);
  });
});
