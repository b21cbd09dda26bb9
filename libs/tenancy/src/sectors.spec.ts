import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@cairn/common';
import { parentSector } from './crowd';
import { SECTORS } from './sectors';

/** The rows of the README's sector table: [sector, reported as]. */
function readmeSectorRows(): string[][] {
  const readme = readFileSync(join(repoRoot(__dirname), 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- sectors:start -->');
  const end = readme.indexOf('<!-- sectors:end -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/`/g, '')),
    );
}

describe('the README sector table', () => {
  it('lists every sector, in the order of the vocabulary, and nothing else', () => {
    expect(readmeSectorRows().map(([sector]) => sector)).toEqual([...SECTORS]);
  });

  it('names the parent each sector is reported as, or none', () => {
    for (const [sector, parent] of readmeSectorRows())
      expect([sector, parent === '—' ? sector : parent]).toEqual([sector, parentSector(sector)]);
  });

  it('has parents that are sectors themselves', () => {
    for (const sector of SECTORS) expect(SECTORS).toContain(parentSector(sector));
  });
});
