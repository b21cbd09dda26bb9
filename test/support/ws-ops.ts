import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from './wait';

/** How one operation over graphql-ws ended: a result, errors, or the socket closing under it. */
export interface WsOutcome<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** Close code, when the socket closed before the operation completed. */
  closed?: number;
}

/** Runs a query or mutation over an (existing) graphql-ws client. */
export function wsRun<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<WsOutcome<T>> {
  return new Promise((resolve) => {
    const out: WsOutcome<T> = {};
    client.subscribe<T>(
      { query, variables },
      {
        next: (msg) => {
          out.data = msg.data as T;
          if (msg.errors) out.errors = msg.errors as WsOutcome['errors'];
        },
        error: (err) => {
          if (Array.isArray(err)) out.errors = err as WsOutcome['errors'];
          else if (typeof (err as { code?: unknown }).code === 'number') out.closed = (err as { code: number }).code;
          else out.errors = [{ message: String((err as Error).message ?? err) }];
          resolve(out);
        },
        complete: () => resolve(out),
      },
    );
  });
}

/** Polls `check` until it holds (bounded): a condition, not a fixed sleep. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

/**
 * A bare graphql-transport-ws socket (no client library), for what a library would not send: an
 * oversized message. Resolves with the close code, or with the first message received.
 */
export function rawWs(
  baseUrl: string,
  authorization: string,
): Promise<{ send(message: unknown): void; next(): Promise<{ message?: Record<string, unknown>; closed?: number }>; close(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    const inbox: Array<{ message?: Record<string, unknown>; closed?: number }> = [];
    const waiters: Array<(m: { message?: Record<string, unknown>; closed?: number }) => void> = [];
    const deliver = (m: { message?: Record<string, unknown>; closed?: number }) => (waiters.length ? waiters.shift()!(m) : inbox.push(m));
    ws.on('message', (data) => deliver({ message: JSON.parse(String(data)) as Record<string, unknown> }));
    ws.on('close', (code) => deliver({ closed: code }));
    ws.on('error', () => undefined);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
      const api = {
        send: (message: unknown) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
        next: () =>
          new Promise<{ message?: Record<string, unknown>; closed?: number }>((r) => (inbox.length ? r(inbox.shift()!) : waiters.push(r))),
        close: () => ws.terminate(),
      };
      resolve(api);
    });
    ws.once('error', reject);
  });
}
