/**
 * The iterator a live subscription hands to GraphQL: the server pushes values in, the client's
 * `next` takes them in order (waiting when there are none). `return` (the client unsubscribed)
 * ends it and calls `onClose` once; `fail` ends it with an error after what was already queued.
 */
export class PushIterator<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting?: (r: IteratorResult<T>) => void;
  private closed = false;
  private failed?: unknown;

  /** `onTake` is told how many values are left after the client took one from the queue (a producer paced by its reader resumes on it). */
  constructor(
    private readonly onClose: () => void = () => undefined,
    private readonly onTake: (backlog: number) => void = () => undefined,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Values waiting for the client. */
  get backlog(): number {
    return this.queue.length;
  }

  push(value: T): void {
    if (this.closed) return;
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w({ value, done: false });
    else this.queue.push(value);
  }

  /** Ends the stream (the server's side): the client sees done once the queue is empty. */
  end(err?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failed = err;
    this.onClose();
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) {
      this.onTake(this.queue.length);
      return Promise.resolve({ value, done: false });
    }
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(err);
  }
}
