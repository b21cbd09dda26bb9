import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import { gql } from '../support/test-app';
import { redactionExchange } from '../support/redaction-exchange';

// A reported phishing e-mail is rarely plain text: mail clients send the body (and the signature
// of a forwarded message, the SOC's disclaimer) as base64 or quoted-printable MIME parts, and
// display names as RFC 2047 encoded words. The text payload was decoded and scrubbed, but what was
// encoded inside it stayed as it was: "Umbrella Pharma" went to every member a second decode away.
// Base64 text parts are scrubbed in place; what cannot be (quoted-printable, encoded words) is refused.

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id } } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('redaction of the MIME parts of an artifact payload', () => {
  const ex = redactionExchange();
  const publish = (payload: string) => {
    const artifact = { type: 'artifact', spec_version: '2.1', mime_type: 'message/rfc822', payload_bin: b64(payload) };
    const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [{ ...artifact, id: scoId(artifact) }] };
    return gql<{ publishBundle: { objects: Array<{ id: string }> } }>(
      ex.api.baseUrl,
      PUBLISH,
      { b: bundle, s: { distribution: 'COMMUNITY', tlp: 'GREEN' } },
      ex.as(ex.pub),
    );
  };
  const issuesOf = (res: Awaited<ReturnType<typeof publish>>) =>
    ((res.errors?.[0]?.extensions?.issues ?? []) as Array<{ path: string; code: string }>).map((i) => [i.path, i.code]);

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

  it('scrubs a base64 text part like the text around it, at its line length', async () => {
    const signature = 'Forwarded by the SOC of Umbrella Pharma, please do not reply. Jana Novak <jana.novak@umbrella-pharma.example>';
    const payload = message(
      ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      b64(signature).replace(/(.{76})/g, '$1\r\n'),
    );
    const res = await publish(payload);
    expect(res.errors).toBeUndefined();
    const r = await gql<{ object: { object: { payload_bin: string } } }>(
      ex.api.baseUrl,
      OBJECT,
      { id: res.data!.publishBundle.objects[0].id },
      ex.as(ex.peer),
    );
    expect(r.errors).toBeUndefined();
    const served = Buffer.from(r.data!.object.object.payload_bin, 'base64').toString('utf8');
    const body = served.split('\r\n\r\n').pop()!.split('\r\n--b1--')[0];
    expect(body.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    const part = Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
    expect(part).toBe('Forwarded by the SOC of [redacted], please do not reply. Jana Novak <[protected]>');
  });

  it('refuses a raw e-mail whose quoted-printable part or encoded header names the publisher', async () => {
    const qpPart = message(
      ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
      '<p style=3D"color:red">Forwarded by the SOC of Umbrella=\r\n Pharma</p>',
    );
    const encodedWord = message(['Content-Type: text/plain'], 'see header').replace(
      'From: "HR" <hr@evil.test>',
      `From: =?utf-8?B?${b64('Umbrella Pharma HR')}?= <hr@evil.test>`,
    );
    for (const payload of [qpPart, encodedWord]) {
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
