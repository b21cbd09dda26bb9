import { parseLsn, replayTarget } from './replica-reads';

const WAL = { blockSize: 8192, segmentSize: 16 * 1024 * 1024 };

describe('parseLsn', () => {
  it('reads PostgreSQL’s text form as a byte position', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('0/1000028')).toBe(0x1000028n);
  });

  it('refuses anything else', () => {
    expect(() => parseLsn('')).toThrow(/not an LSN/);
    expect(() => parseLsn('16-B374D848')).toThrow(/not an LSN/);
  });
});

describe('replayTarget', () => {
  it('is the insert position itself wherever a record can end', () => {
    for (const lsn of [0x2100n, 0x3ff8n, 0x2000n, 0x1000000n, 0x1000100n]) expect(replayTarget(lsn, WAL)).toBe(lsn);
  });

  it('is the page boundary when the insert position is just past a page header (the last record ended on the boundary)', () => {
    // A short header (24 bytes) on any page but a segment's first.
    expect(replayTarget(0x2018n, WAL)).toBe(0x2000n);
    expect(replayTarget(0x16b374c018n, WAL)).toBe(0x16b374c000n);
    // A long header (40 bytes) on a segment's first page.
    expect(replayTarget(0x1000028n, WAL)).toBe(0x1000000n);
  });

  it('keeps positions inside a page’s first bytes where a continued record can end', () => {
    // 40 bytes into a page that is not a segment's first: the end of a record continued from the page before.
    expect(replayTarget(0x2028n, WAL)).toBe(0x2028n);
    expect(replayTarget(0x2020n, WAL)).toBe(0x2020n);
  });
});
