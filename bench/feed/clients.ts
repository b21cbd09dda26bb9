import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { postJson, wallNow } from '../bench';
import type { BenchTenant } from './api-child';

/** Server settings of the feed and soak databases, beyond benchDatabase's: more connections than PostgreSQL's default 100, and a larger buffer cache. */
export const FEED_PG_FLAGS = ['-c', 'max_connections=300', '-c', 'shared_buffers=256MB'];

/** The tenants' sectors and countries of the feed and soak benches. */
export const FEED_SECTORS = [
  'technology',
  'financial-services',
  'healthcare',
  'insurance',
  'government-public-services',
  'manufacturing',
  'professional-services',
  'artificial-intelligence',
];
export const FEED_COUNTRIES = ['US', 'GB', 'DE', 'US', 'CA', 'FR', 'US', 'NL', 'IN', 'SG'];

/** May tenant `viewer` see an object `publisher` shared with its default sharing? The DESIGN.md rule (no country narrowing). */
export function mayView(publisher: BenchTenant, viewer: BenchTenant): boolean {
  if (publisher.id === viewer.id) return true;
  switch (publisher.defaultDistribution) {
    case 'COMMUNITY':
      return true;
    case 'SECTOR':
      return publisher.sectors.some((s) => viewer.sectors.includes(s));
    default:
      return false; // ORGANISATION (RECIPIENTS / SHARING_GROUP are not used as defaults here)
  }
}

export const indicatorDoc = (i: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: `DPRK IT worker applicant ${i}`,
  description: 'Applicant persona seen across several members',
  labels: ['dprk-it-worker'],
  pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
  pattern_type: 'stix',
  valid_from: '2025-01-01T00:00:00Z',
});

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<T>(baseUrl: string, key: string, query: string, variables: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await postJson<Omit<GqlResult<T>, 'status'>>(`${baseUrl}/graphql`, { query, variables }, { authorization: `Bearer ${key}` });
  return { status: res.status, ...res.body };
}

/**
 * A minimal graphql-transport-ws client (the protocol graphql-ws speaks) over `ws`: one socket,
 * one subscription. Lighter than the graphql-ws client, so that 1,000 of them in one process cost
 * the load generator as little as possible; the receipt time is taken before the JSON is parsed.
 */
export class FeedSubscriber {
  private socket?: WebSocket;
  closeCode?: number;
  errors = 0;

  constructor(
    readonly index: number,
    readonly tenantIndex: number,
    readonly instance: number,
    private readonly onEvent: (sub: FeedSubscriber, at: number, payload: { id: string; cursor: string } | undefined) => void,
  ) {}

  connect(baseUrl: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<void> {
    return new Promise((res, rej) => {
      const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws', { perMessageDeflate: false });
      this.socket = socket;
      let acked = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } })));
      socket.on('message', (data: Buffer) => {
        const at = wallNow();
        const msg = JSON.parse(data.toString('utf8')) as {
          type: string;
          payload?: { data?: Record<string, { id: string; cursor: string }>; errors?: unknown } | unknown[];
        };
        if (msg.type === 'next') {
          const p = msg.payload as { data?: Record<string, { id: string; cursor: string }>; errors?: unknown };
          if (p.errors || !p.data) this.errors++;
          const first = p.data ? Object.values(p.data)[0] : undefined;
          this.onEvent(this, at, first);
        } else if (msg.type === 'connection_ack') {
          acked = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          res();
        } else if (msg.type === 'error') {
          this.errors++;
        } else if (msg.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        }
      });
      socket.on('close', (code) => {
        this.closeCode = code;
        if (!acked) rej(new Error(`subscriber ${this.index} closed before ack (${code})`));
      });
      socket.on('error', (err) => {
        if (!acked) rej(err);
      });
    });
  }

  close(): void {
    this.socket?.close(1000);
  }
}

/** Opens subscribers in waves of `wave` connections. */
export async function connectAll(subs: Array<() => Promise<void>>, wave = 50): Promise<void> {
  for (let i = 0; i < subs.length; i += wave) await Promise.all(subs.slice(i, i + wave).map((f) => f()));
}
