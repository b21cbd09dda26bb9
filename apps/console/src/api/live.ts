import { createClient, type Client } from 'graphql-ws';
import { accessToken, refreshSession } from './client';
import type { FeedFilterInput, FeedItem } from './schema';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';
export type LiveItem = Pick<FeedItem, 'id' | 'cursor' | 'dateAdded' | 'type' | 'tlp' | 'mine' | 'object' | 'sighting'>;

export const FEED_ITEM_FIELDS =
  'id cursor dateAdded type tlp mine object sighting { sector area interviewStage roleCategory hiringChannel }';
const FIELDS = { sightingReported: 'SIGHTING', indicatorPublished: 'INDICATOR' } as const;
type Field = keyof typeof FIELDS;

/**
 * The live feed over graphql-ws. Each subscription resumes from the last cursor it delivered (or
 * the page the feed started from): after a dropped socket it subscribes again with `after`, so the
 * server replays exactly what was missed. The two subscriptions keep separate cursors, because
 * their events interleave freely; ids already shown are dropped as a second guard.
 */
export class LiveFeed {
  private client: Client | null = null;
  private readonly cursors = new Map<Field, string | null>();
  private disposers: Array<() => void> = [];
  private readonly seen = new Set<string>();
  private everConnected = false;

  constructor(
    private readonly filter: FeedFilterInput,
    startCursor: string | null,
    private readonly onItem: (item: LiveItem) => void,
    private readonly onStatus: (s: LiveStatus) => void,
    shown: Iterable<string> = [],
  ) {
    for (const f of Object.keys(FIELDS) as Field[]) this.cursors.set(f, startCursor);
    for (const id of shown) this.seen.add(id);
  }

  start(): void {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    this.onStatus('connecting');
    this.client = createClient({
      url,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: async (n) => new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** n))),
      // 4403: stop (key revoked, user disabled, logged out). 4401 (token expired on the open socket)
      // ends a graphql-ws client for good: refresh the session and start a new one from the cursors.
      shouldRetry: (e) => (e as CloseEvent | undefined)?.code !== 4403,
      onNonLazyError: (e) => {
        if ((e as CloseEvent | undefined)?.code !== 4401 || !this.client) return this.onStatus('stopped');
        this.dropAll();
        void this.client.dispose();
        this.client = null;
        void refreshSession().then((s) => (s ? this.start() : this.onStatus('stopped')));
      },
      connectionParams: async () => ({ authorization: `Bearer ${await accessToken()}` }),
      on: {
        connected: () => {
          this.onStatus('live');
          this.subscribeAll();
          this.everConnected = true;
        },
        closed: () => {
          this.dropAll();
          if (this.client) this.onStatus(this.everConnected ? 'reconnecting' : 'connecting');
        },
      },
    });
  }

  stop(): void {
    this.dropAll();
    const c = this.client;
    this.client = null;
    void c?.dispose();
    this.onStatus('stopped');
  }

  private subscribeAll(): void {
    this.dropAll();
    // A socket that connects after stop() (the page moved on) subscribes to nothing.
    if (!this.client) return;
    for (const field of Object.keys(FIELDS) as Field[]) {
      const query = `subscription($after: String, $filter: FeedFilterInput) { ${field}(after: $after, filter: $filter) { ${FEED_ITEM_FIELDS} } }`;
      const variables = { after: this.cursors.get(field), filter: this.filter };
      const dispose = this.client.subscribe<Record<Field, LiveItem>>(
        { query, variables },
        {
          next: (msg) => {
            const item = msg.data?.[field];
            if (!item) return;
            this.cursors.set(field, item.cursor);
            const key = `${item.id}|${item.dateAdded}`;
            if (this.seen.has(key)) return;
            this.seen.add(key);
            this.onItem(item);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      this.disposers.push(dispose);
    }
  }

  private dropAll(): void {
    for (const d of this.disposers) d();
    this.disposers = [];
  }
}

export const seenKey = (item: Pick<LiveItem, 'id' | 'dateAdded'>) => `${item.id}|${item.dateAdded}`;
