import { parsePattern } from '@cairn/stix';
import { indicatorObject } from '../factories/stix.factory';
import { redactionExchange } from '../support/redaction-exchange';

// The publisher's name as URLs and HTML carry it: percent-encoded ("Umbrella%20Pharma", a wiki or
// SharePoint link in external_references, a phishing URL in a pattern) or as character references
// ("Umbrella&nbsp;Pharma" in a description pasted from a web page). Redaction compared the text as
// written, so "%20" glued "20" to the next word and the name went out whole to every reader.

const T = '2025-06-02T09:00:00.000Z';

/** What a reader recognises after decoding the URL and the HTML: letters and digits only, lower case. */
function decodedSkeleton(text: string): string {
  const html = text
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&[a-z]+;/gi, ' ');
  return decodeURIComponent(html.replace(/%(?![0-9a-f]{2})/gi, '%25'))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

describe('redaction of the publisher name written encoded, in look-alike letters or in camelCase', () => {
  const ex = redactionExchange();

  it('removes percent-encoded and HTML-escaped spellings from URLs, patterns and text', async () => {
    const ind = indicatorObject(
      {
        pattern:
          "[url:value = 'https://login.evil.test/?org=Umbrella%20Pharma&next=%2F'] OR [url:value = 'https://evil.test/umbrella%2Dpharma%2Eexample']",
        description:
          'Lure: Umbrella&nbsp;Pharma HR, Umbrella&#32;Pharma careers, Umbrella&#x20;Pharma, Umbr%C3%A9lla%C2%A0Pharma; 100% real',
        external_references: [{ source_name: 'wiki', url: 'https://wiki.internal.test/spaces/Umbrella%20Pharma/SOC/case-17' }],
      },
      T,
    );
    const res = await ex.publish([ind]);
    expect(res.errors).toBeUndefined();
    const doc = await ex.read(ind.id);
    const flat = decodedSkeleton(JSON.stringify(doc));
    for (const secret of ['umbrellapharma', 'umbrella', 'pharma']) expect(flat).not.toContain(secret);
    expect((doc.external_references as Array<{ url: string }>)[0].url).toBe('https://wiki.internal.test/spaces/[redacted]/SOC/case-17');
    expect(doc.pattern).toContain("'https://login.evil.test/?org=[redacted]&next=%2F'");
    expect(doc.description).toContain('100% real');
    expect(() => parsePattern(doc.pattern as string)).not.toThrow();
  });

  it('removes the name written in small capitals or with Latin-alpha and Armenian look-alikes (IDN homographs)', async () => {
    const ind = indicatorObject(
      {
        pattern: "[domain-name:value = 'sso.umbrellɑ-phɑrmɑ.example']",
        name: 'ᴜᴍʙʀᴇʟʟᴀ ᴘʜᴀʀᴍᴀ',
        description: 'Lure signed Umbrella Pհarma HR',
      },
      T,
    );
    const res = await ex.publish([ind]);
    expect(res.errors).toBeUndefined();
    const doc = await ex.read(ind.id);
    expect(doc.name).toBe('[redacted]');
    expect(doc.description).toBe('Lure signed [redacted] HR');
    expect(doc.pattern).toBe("[domain-name:value = 'sso.[redacted]']");
  });

  it('removes the name run together in camelCase words (handles, hostnames, team names)', async () => {
    const ind = indicatorObject(
      {
        pattern: "[user-account:account_login = 'UmbrellaPharmaSOC']",
        description: 'Reported by TeamUmbrellaPharma, see github.com/UmbrellaPharmaSecurity',
      },
      T,
    );
    const res = await ex.publish([ind]);
    expect(res.errors).toBeUndefined();
    const doc = await ex.read(ind.id);
    expect(doc.description).toBe('Reported by Team[redacted], see github.com/[redacted]Security');
    expect(JSON.stringify(doc).toLowerCase()).not.toContain('umbrella');
  });
});
