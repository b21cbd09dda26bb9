import { PublishIssueCode } from '../intel.errors';
import type { PublishIssue } from './publish.types';

describe('PublishIssue.code', () => {
  it('takes the codes of @cairn/stix and of publishing, and a misspelt one does not type-check (npm run typecheck)', () => {
    const ok: PublishIssue[] = [
      { objectId: null, path: '$', code: 'UNKNOWN_REFERENCE', message: '' },
      { objectId: null, path: '$', code: 'TIMESTAMP_PRECISION', message: '' },
      { objectId: null, path: '$', code: 'NOT_OWNER', message: '' },
    ];
    // @ts-expect-error a typo is not a PublishIssueCode
    const typo: PublishIssue = { objectId: null, path: '$', code: 'NOT_OWNR', message: '' };
    expect(ok.every((i) => (Object.values(PublishIssueCode) as string[]).includes(i.code))).toBe(true);
    expect((Object.values(PublishIssueCode) as string[]).includes(typo.code)).toBe(false);
  });
});
