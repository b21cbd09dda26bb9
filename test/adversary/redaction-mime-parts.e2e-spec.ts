import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// A reported phishing e-mail is rarely plain text: mail clients send the body (and the signature
// of a forwarded message, the SOC's disclaimer) as base64 or quoted-printable MIME parts, and
// display names as RFC 2047 encoded words. The text payload was decoded and scrubbed, but what was
// encoded inside it stayed as it was: "Umbrella Pharma" went to every member a second decode away.

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id } } }';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('redaction of the MIME parts of an artifact payload', () => {
  let api: TestApp;
  let pub: TenantEntity;
  const key = new Map<string, string>();
  const publish = (payload: string) => {
    const artifact = { type: 'artifact', spec_version: '2.1', mime_type: 'message/rfc822', payload_bin: b64(payload) };
    const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [{ ...artifact, id: scoId(artifact) }] };
    return gql(api.baseUrl, PUBLISH, { b: bundle, s: { distribution: 'COMMUNITY', tlp: 'GREEN' } }, { authorization: key.get(pub.id)! });
  };
  const issuesOf = (res: Awaited<ReturnType<typeof publish>>) =>
    ((res.errors?.[0]?.extensions?.issues ?? []) as Array<{ path: string; code: string }>).map((i) => [i.path, i.code]);

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, {
      name: 'Umbrella Pharma',
      country: 'DE',
      sectors: ['healthcare'],
      domains: ['umbrella-pharma.example'],
    });
    key.set(pub.id, await newApiKey(api.app, pub));
  });
  afterAll(() => api.close());

  const message = (headers: string[], body: string) =>
    [
      'From: "HR" <hr@evil.test>',
      'Subject: payroll update',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      ...headers,
      '',
      body,
      '--b1--',
      '',
    ].join('\r\n');

  it('refuses a raw e-mail whose base64 part, quoted-printable part or encoded header names the publisher', async () => {
    const signature = 'Forwarded by the SOC of Umbrella Pharma, please do not reply.';
    const base64Part = message(
      ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      b64(signature).replace(/(.{76})/g, '$1\r\n'),
    );
    const qpPart = message(
      ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
      '<p style=3D"color:red">Forwarded by the SOC of Umbrella=\r\n Pharma</p>',
    );
    const encodedWord = message(['Content-Type: text/plain'], 'see header').replace(
      'From: "HR" <hr@evil.test>',
      `From: =?utf-8?B?${b64('Umbrella Pharma HR')}?= <hr@evil.test>`,
    );
    for (const payload of [base64Part, qpPart, encodedWord]) {
      expect(issuesOf(await publish(payload))).toEqual([['$.objects[0].payload_bin', 'INVALID_VALUE']]);
    }
  });

  it('stores a raw e-mail whose encoded parts name nobody', async () => {
    const payload = message(
      ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      b64('Your payroll was updated, sign in to confirm.'),
    );
    expect((await publish(payload)).errors).toBeUndefined();
  });
});
