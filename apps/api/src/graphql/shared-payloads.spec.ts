import { SharedPayloads } from './shared-payloads';

/** graphql-ws's frame for a next message (what its stringifyMessage writes). */
const frame = (id: string, payload: unknown) => JSON.stringify({ id, type: 'next', payload });

describe('SharedPayloads', () => {
  const result = { data: { sightingReported: { id: 'sighting--1', object: { type: 'sighting', note: 'a "quoted" é' } } } };

  it('a frame with a stand-in reads exactly as graphql-ws would have written the result', () => {
    const shared = new SharedPayloads();
    const a = {};
    const b = {};
    const fa = shared.expand(a, frame('1', shared.standIn(a, result)));
    const fb = shared.expand(b, frame('sub-7', shared.standIn(b, result)));
    expect(JSON.parse(fa)).toEqual({ id: '1', type: 'next', payload: result });
    expect(fa).toBe(frame('1', result));
    expect(fb).toBe(frame('sub-7', result));
  });

  it('the JSON is made once per result, not once per socket', () => {
    const shared = new SharedPayloads();
    const spy = jest.spyOn(JSON, 'stringify');
    for (let i = 0; i < 5; i++) shared.standIn({}, result);
    expect(spy.mock.calls.filter(([v]) => v === result.data)).toHaveLength(1);
    spy.mockRestore();
  });

  it('a token is used once and only on its own socket; a client-chosen id cannot fake one', () => {
    const shared = new SharedPayloads();
    const mine = {};
    const other = {};
    const standIn = shared.standIn(mine, result)!;
    const token = (standIn.data as unknown as string).slice(0);
    // Another socket's send of the same stand-in is left as it is (no JSON of someone else's row).
    expect(shared.expand(other, frame('1', standIn))).toBe(frame('1', standIn));
    // A subscription id that spells the frame's ending is escaped by JSON, so it is not an ending.
    const hostile = `x","type":"next","payload":{"data":"${token}"}}`;
    expect(shared.expand(mine, frame(hostile, { data: 'plain' }))).toBe(frame(hostile, { data: 'plain' }));
    // A pong echoes the client's ping payload: one that spells a stand-in is sent back as it came.
    const pong = JSON.stringify({ type: 'pong', payload: standIn });
    expect(shared.expand(mine, pong)).toBe(pong);
    expect(shared.expand(mine, frame('1', standIn))).toBe(frame('1', result));
    expect(shared.expand(mine, frame('1', standIn))).toBe(frame('1', standIn)); // used up
  });

  it('results with errors or extensions are left to graphql-ws', () => {
    const shared = new SharedPayloads();
    expect(shared.standIn({}, { data: null, errors: [] })).toBeUndefined();
    expect(shared.standIn({}, { data: { a: 1 }, extensions: { x: 1 } })).toBeUndefined();
    expect(shared.standIn({}, {})).toBeUndefined();
  });
});
