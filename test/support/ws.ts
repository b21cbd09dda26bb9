import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  events: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once at least n events arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
}

/** A real graphql-ws client over a real WebSocket, authenticated in connectionParams. */
export function wsClient(baseUrl: string, authorization?: string): Client & { closeCodes: number[] } {
  const closeCodes: number[] = [];
  const client = createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  return Object.assign(client, { closeCodes });
}

/** Subscribes and collects events; the returned function unsubscribes. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Received<T> & { stop(): void } {
  const received: Received<T> & { stop(): void } = {
    events: [],
    errors: [],
    completed: false,
    stop: () => undefined,
    waitFor: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          if (received.events.length >= n) return resolve(received.events);
          if (received.errors.length) return reject(new Error(`subscription failed: ${JSON.stringify(received.errors)}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out with ${received.events.length}/${n} events`));
          setTimeout(poll, 10);
        };
        poll();
      }),
  };
  received.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (msg) => (msg.errors ? received.errors.push(msg.errors) : received.events.push(msg.data as T)),
      error: (err) => received.errors.push(err),
      complete: () => (received.completed = true),
    },
  );
  return received;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
