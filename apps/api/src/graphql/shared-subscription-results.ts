import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Results per event object, per operation: an event's results go when the event does. */
const resultsByEvent = new WeakMap<object, Map<string, Result>>();
const printed = new WeakMap<DocumentNode, string>();

/**
 * graphql-js executes a subscription's selection set once per event for every subscriber. FeedHub
 * hands one row object to all subscribers of a tenant that share a filter, so here an operation
 * (document, operation name and variables alike) is executed once per row object and the result
 * shared. That is sound because a row object never crosses tenants (FeedHub reads rows per tenant,
 * and `mine` is computed per tenant) and because no field of a subscription payload reads the
 * context: whatever differs between two subscribers with the same operation is in the row.
 * A subscription whose fields did read the viewer would have to emit a row object per subscriber.
 */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const events = await createSourceEventStream(args);
  if (!isAsyncIterable(events)) return events;
  const key = operationKey(args);
  return mapEvents(events, (event) => {
    if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) results.set(key, (result = execute({ ...args, rootValue: event })));
    return result;
  });
}

function operationKey(args: ExecutionArgs): string {
  let text = printed.get(args.document);
  if (text === undefined) printed.set(args.document, (text = print(args.document)));
  return `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${text}`;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}

/** Maps each event; closing the mapped iterator closes the source (which ends the subscription in FeedHub). */
function mapEvents<T>(source: AsyncIterable<T>, map: (event: T) => Result): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  const close = async (): Promise<IteratorResult<ExecutionResult>> => {
    await it.return?.();
    return { value: undefined, done: true };
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => mapped,
    async next() {
      const r = await it.next();
      if (r.done) return { value: undefined, done: true };
      try {
        return { value: await map(r.value), done: false };
      } catch (err) {
        await close();
        throw err;
      }
    },
    return: close,
    async throw(err?: unknown) {
      await close();
      throw err;
    },
  };
  return mapped;
}
