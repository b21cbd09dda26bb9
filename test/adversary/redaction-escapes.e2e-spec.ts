import { parsePattern } from '@cairn/stix';
import { gql } from '../support/test-app';
import { indicatorObject } from '../factories/stix.factory';
import { redactionExchange } from '../support/redaction-exchange';

// The publisher's name as programs and detection rules write it: a pattern's regular expression
// ("^Umbrella\s+Pharma", "Umbrella\x20Pharma" for a subject line), a pasted log or script
// ("Umbrella\nPharma", "Umbrella\u0020Pharma"), a browser's semicolon-less reference
// ("Umbrella&#32Pharma") and a name run into a number ("UmbrellaPharma2024", the host
// "umbrellapharma01"). The escape glued its letter or digits to the next word, and the name went out.

const T = '2025-06-02T09:00:00.000Z';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';

describe('redaction of the publisher name written with escapes or run into numbers', () => {
  const ex = redactionExchange();

  it('removes the name from regular expressions, escaped text and names run into numbers, and keeps Windows paths', async () => {
    const ind = indicatorObject(
      {
        pattern:
          "[email-message:subject MATCHES '^Umbrella\\\\s+Pharma payroll'] OR [email-message:subject MATCHES 'Umbrella\\\\x20Pharma HR']",
        description:
          'Dropper logs "Umbrella\\nPharma" and "Umbrella\\u0020Pharma"; lure page Umbrella&#32Pharma; campaign UmbrellaPharma2024 against umbrellapharma01; path C:\\Tools\\Reports',
      },
      T,
    );
    const res = await ex.publish([ind]);
    expect(res.errors).toBeUndefined();

    const r = await gql<{ object: { object: { pattern: string; description: string } } }>(
      ex.api.baseUrl,
      OBJECT,
      { id: ind.id },
      ex.as(ex.peer),
    );
    expect(r.errors).toBeUndefined();
    const served = r.data!.object.object;
    for (const text of [served.pattern, served.description]) {
      expect(text.toLowerCase()).not.toMatch(/umbrella|pharma/);
    }
    expect(() => parsePattern(served.pattern)).not.toThrow();
    expect(served.pattern).toBe("[email-message:subject MATCHES '^[redacted] payroll'] OR [email-message:subject MATCHES '[redacted] HR']");
    // Escapes that are no name's are left as written.
    expect(served.description).toContain('path C:\\Tools\\Reports');
  });
});
