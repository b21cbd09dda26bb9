import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import { gql } from '../support/test-app';
import { redactionExchange } from '../support/redaction-exchange';

// A member reports a phishing e-mail the usual way: an email-message whose raw_email_ref is an
// artifact holding the message as received, base64 in payload_bin. The walk scrubbed every string
// but read the base64 as text, so the publisher's name and domain, and its employee's address in
// the To: header (personal data), went to every member as they were, a base64 decode away.

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id } } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('redaction of an artifact payload', () => {
  const ex = redactionExchange();
  const publish = (objects: unknown[]) =>
    gql<{ publishBundle: { objects: Array<{ id: string }> } }>(
      ex.api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, s: { distribution: 'COMMUNITY', tlp: 'GREEN' } },
      ex.as(ex.pub),
    );

  it('scrubs a text payload like any text, and refuses a binary one that names the publisher', async () => {
    const raw = [
      'From: "HR" <hr@evil.test>',
      'To: "Jana Novak" <jana.novak@umbrella-pharma.example>',
      'Subject: Umbrella Pharma payroll update',
      '',
      'Dear Umbrella Pharma employee, call +49 30 901820 or visit https://umbrella-pharma.example.evil.test/',
    ].join('\r\n');
    const artifact = {
      type: 'artifact',
      spec_version: '2.1',
      mime_type: 'message/rfc822',
      payload_bin: b64(raw),
      hashes: { 'SHA-256': 'b'.repeat(64) },
    };
    const withId = { ...artifact, id: scoId(artifact) };
    const email = { type: 'email-message', spec_version: '2.1', is_multipart: false, subject: 'payroll update', raw_email_ref: withId.id };
    const res = await publish([withId, { ...email, id: scoId(email) }]);
    expect(res.errors).toBeUndefined();
    const storedId = res.data!.publishBundle.objects[0].id;

    const served = await ex.read(storedId);
    const text = Buffer.from(served.payload_bin as string, 'base64').toString('utf8');
    for (const secret of ['umbrella', 'pharma', 'jana.novak', '901820']) expect(text.toLowerCase()).not.toContain(secret);
    expect(text).toContain('Subject: [redacted] payroll update');
    // The hashes given were of the text with the names: they are not served beside the scrubbed payload.
    expect(served).not.toHaveProperty('hashes');

    // Binary content (UTF-16 behind a byte-order mark that is no UTF-8) cannot be scrubbed: refused, naming the property.
    const binary = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Umbrella Pharma internal', 'utf16le')]);
    const bin = { type: 'artifact', spec_version: '2.1', mime_type: 'application/octet-stream', payload_bin: b64(binary) };
    const refused = await publish([{ ...bin, id: scoId(bin) }]);
    const issues = (refused.errors?.[0]?.extensions?.issues ?? []) as Array<{ path: string; code: string }>;
    expect(issues.map((i) => [i.path, i.code])).toEqual([['$.objects[0].payload_bin', 'INVALID_VALUE']]);

    // A pattern's binary literal is the same base64 text.
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-06-02T09:00:00.000Z',
      modified: '2025-06-02T09:00:00.000Z',
      valid_from: '2025-06-02T09:00:00.000Z',
      pattern_type: 'stix',
      pattern: `[artifact:payload_bin = b'${b64('Dear Umbrella Pharma employee')}']`,
    };
    expect((await publish([ind])).errors).toBeUndefined();
    const p = await gql<{ object: { object: { pattern: string } } }>(ex.api.baseUrl, OBJECT, { id: ind.id }, ex.as(ex.peer));
    expect(p.data!.object.object.pattern).toBe(`[artifact:payload_bin = b'${b64('Dear [redacted] employee')}']`);

    // Binary content that names nobody is stored as it is.
    const plain = {
      type: 'artifact',
      spec_version: '2.1',
      mime_type: 'application/octet-stream',
      payload_bin: b64(Buffer.from([0xff, 0x00, 0x13, 0x37])),
    };
    expect((await publish([{ ...plain, id: scoId(plain) }])).errors).toBeUndefined();
  });
});
