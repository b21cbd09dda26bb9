import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { subscribeSharingResults } from './shared-subscription-results';

/** A source stream that yields the given events, and records whether it was closed. */
function source(events: object[]) {
  const state = { closed: false };
  const iterator: AsyncIterableIterator<object> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => (events.length ? { value: events.shift()!, done: false } : { value: undefined, done: true }),
    return: async () => {
      state.closed = true;
      return { value: undefined, done: true };
    },
  };
  return { iterator, state };
}

describe('subscribeSharingResults', () => {
  const schema = buildSchema(`type Query { x: Int } type Item { id: ID! label(prefix: String): String } type Subscription { items: Item }`);
  let calls = 0;
  const Item = { label: (row: { id: string }, args: { prefix?: string }) => (calls++, `${args.prefix ?? ''}${row.id}`) };
  // graphql-js resolves Item.label through the root value; give each event object a resolver-backed field.
  const event = (id: string) => ({ items: { id, label: (args: { prefix?: string }) => Item.label({ id }, args) } });
  const op = parse(`subscription($p: String) { items { id label(prefix: $p) } }`);

  beforeEach(() => (calls = 0));

  async function subscribe(events: object[], variables: Record<string, unknown>) {
    const src = source(events);
    schema.getSubscriptionType()!.getFields().items.subscribe = () => src.iterator;
    const it = (await subscribeSharingResults({
      schema,
      document: op,
      variableValues: variables,
    })) as AsyncIterableIterator<ExecutionResult>;
    return { it, src };
  }

  it('executes an operation once per event object, and shares the result with every subscriber of it', async () => {
    const e1 = event('a');
    const e2 = event('b');
    const one = await subscribe([e1, e2], { p: '#' });
    const two = await subscribe([e1, e2], { p: '#' });
    const got = [await one.it.next(), await two.it.next(), await one.it.next(), await two.it.next()].map((r) => r.value);
    expect(got.map((r) => (r as ExecutionResult).data)).toEqual([
      { items: { id: 'a', label: '#a' } },
      { items: { id: 'a', label: '#a' } },
      { items: { id: 'b', label: '#b' } },
      { items: { id: 'b', label: '#b' } },
    ]);
    expect(calls).toBe(2);
  });

  it('executes separately for different variables and for different event objects with equal content', async () => {
    const e = event('a');
    const plain = await subscribe([e, event('a')], {});
    const prefixed = await subscribe([e], { p: '>' });
    expect((await plain.it.next()).value).toEqual({ data: { items: { id: 'a', label: 'a' } } });
    expect((await prefixed.it.next()).value).toEqual({ data: { items: { id: 'a', label: '>a' } } });
    expect((await plain.it.next()).value).toEqual({ data: { items: { id: 'a', label: 'a' } } });
    expect(calls).toBe(3);
  });

  it('closing the subscription closes its source stream', async () => {
    const s = await subscribe([event('a')], {});
    await s.it.return!();
    expect(s.src.state.closed).toBe(true);
  });
});
