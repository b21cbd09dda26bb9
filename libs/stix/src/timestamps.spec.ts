import { checkTimestamp, compareTimestamps } from './timestamps';

describe('timestamps', () => {
  it.each([
    ['2016-05-12T08:17:27.000Z', 3],
    ['2016-05-12T08:17:27Z', 0],
    ['2016-05-12T08:17:27.123456789Z', 9],
    ['2024-02-29T23:59:60Z', 0],
  ])('accepts %s', (ts, precision) => expect(checkTimestamp(ts)).toEqual({ valid: true, precision }));

  it.each([
    '2016-05-12T08:17:27.000', '2016-05-12T08:17:27+00:00', '2016-05-12 08:17:27Z', '2016-13-12T08:17:27Z',
    '2023-02-29T00:00:00Z', '2016-05-12T24:00:00Z', '2016-05-12T08:17:27.Z', '2016-05-12t08:17:27z', '', 20160512,
  ])('rejects %p', (ts) => expect(checkTimestamp(ts).valid).toBe(false));

  it('compares across precisions exactly', () => {
    expect(compareTimestamps('2016-05-12T08:17:27Z', '2016-05-12T08:17:27.000Z')).toBe(0);
    expect(compareTimestamps('2016-05-12T08:17:27.1Z', '2016-05-12T08:17:27.09Z')).toBe(1);
    expect(compareTimestamps('2016-05-12T08:17:26.999Z', '2016-05-12T08:17:27Z')).toBe(-1);
  });
});
