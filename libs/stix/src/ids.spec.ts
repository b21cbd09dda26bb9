import {
  canonicalStixId,
  expectedScoId,
  isStixId,
  isValidTypeName,
  isValidUuid,
  newStixId,
  parseStixId,
  scoId,
  scoIdName,
  uuidV5,
  uuidVersion,
} from './ids';

describe('deterministic SCO ids', () => {
  it('matches the STIX 2.1 vectors', () => {
    expect(expectedScoId({ type: 'email-addr', value: 'john@example.com' })).toBe('email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934');
    expect(expectedScoId({ type: 'ipv4-addr', value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
  });

  it('uses only id-contributing properties', () => {
    const a = expectedScoId({ type: 'email-addr', value: 'john@example.com', display_name: 'John' });
    expect(a).toBe('email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934');
    expect(scoIdName({ type: 'user-account', account_login: 'x', account_type: 'github', display_name: 'X' })).toBe(
      '{"account_login":"x","account_type":"github"}',
    );
  });

  it('keeps a single hash, preferring MD5, then SHA-1, SHA-256, SHA-512', () => {
    const hashes = { 'SHA-256': 'b'.repeat(64), MD5: 'a'.repeat(32) };
    expect(scoIdName({ type: 'file', name: 'cv.pdf', hashes })).toBe(`{"hashes":{"MD5":"${'a'.repeat(32)}"},"name":"cv.pdf"}`);
    expect(scoIdName({ type: 'file', hashes: { 'SHA-512': 'c'.repeat(128), 'SHA-1': 'd'.repeat(40) } })).toBe(
      `{"hashes":{"SHA-1":"${'d'.repeat(40)}"}}`,
    );
  });

  it('gives the custom observables deterministic ids over their contributing properties', () => {
    const a = expectedScoId({ type: 'persona', persona_name: 'Daniel Kim', persona_type: 'job-applicant', x_note: 'a' });
    const b = expectedScoId({ type: 'persona', persona_type: 'job-applicant', persona_name: 'Daniel Kim' });
    expect(a).toBe(b);
    expect(a).toMatch(/^persona--[0-9a-f-]{14}5/);
    expect(expectedScoId({ type: 'bank-account', iban: 'DE89370400440532013000', bic: 'X' })).toBe(
      expectedScoId({ type: 'bank-account', iban: 'DE89370400440532013000' }),
    );
  });

  it('falls back to a random v4 when no contributing property is present (process, unknown types)', () => {
    expect(expectedScoId({ type: 'process', pid: 4 })).toBeUndefined();
    expect(expectedScoId({ type: 'x-custom-thing', value: 'a' })).toBeUndefined();
    const id = scoId({ type: 'process', pid: 4 });
    expect(uuidVersion(parseStixId(id)!.uuid)).toBe(4);
  });

  it('uuidV5 follows RFC 4122 (DNS namespace, "python.org")', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

describe('identifier syntax', () => {
  it('accepts RFC 4122 UUIDs of any version, hex digits in either case, and rejects the rest', () => {
    expect(isValidUuid('8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(true);
    expect(isValidUuid('8e2e2d2b-17d4-1cbf-a38f-98ee46b3cd3f')).toBe(true);
    // RFC 9562 §4: case-insensitive on input; the OASIS schema's identifier pattern is [0-9a-fA-F].
    expect(isValidUuid('8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F')).toBe(true);
    expect(isValidUuid('8e2e2d2b-17d4-4cbf-B38f-98ee46b3cd3f')).toBe(true);
    expect(isValidUuid('8e2e2d2b-17d4-4cbf-C38f-98ee46b3cd3f')).toBe(false); // variant 110
    expect(isValidUuid('8e2e2d2b-17d4-4cbf-938g-98ee46b3cd3f')).toBe(false);
    expect(isValidUuid('8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f')).toBe(false); // variant 110
    expect(isValidUuid('8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f')).toBe(false); // version 0
    expect(isValidUuid('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(isValidUuid('8e2e2d2b17d44cbf938f98ee46b3cd3f')).toBe(false);
  });

  it('parses type--uuid and checks both halves', () => {
    expect(parseStixId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toEqual({
      type: 'indicator',
      uuid: '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    });
    expect(parseStixId('indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBeUndefined();
    expect(parseStixId('in--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBeUndefined();
    expect(parseStixId(42)).toBeUndefined();
    expect(isStixId('identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'identity')).toBe(true);
    expect(isStixId('identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'location')).toBe(false);
  });

  it('canonicalStixId lower-cases the UUID only, and leaves what is not an id alone', () => {
    expect(canonicalStixId('indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F')).toBe('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(canonicalStixId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(canonicalStixId('Indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F')).toBe('Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(canonicalStixId('not-an-id--XYZ')).toBe('not-an-id--XYZ');
    expect(canonicalStixId('plain')).toBe('plain');
  });

  it('applies the type-name rules', () => {
    expect(isValidTypeName('x509-certificate')).toBe(true);
    expect(isValidTypeName('phone-number')).toBe(true);
    expect(isValidTypeName('ab')).toBe(false);
    expect(isValidTypeName('a'.repeat(251))).toBe(false);
    expect(isValidTypeName('Threat-Actor')).toBe(false);
    expect(isValidTypeName('x_custom')).toBe(false);
    expect(isValidTypeName('x--custom')).toBe(false);
  });

  it('newStixId makes v4 ids of the given type', () => {
    const id = newStixId('indicator');
    expect(isStixId(id, 'indicator')).toBe(true);
    expect(() => newStixId('Bad Type')).toThrow(TypeError);
  });
});
