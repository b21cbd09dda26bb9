import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { coalesceSends } from '../apps/api/src/graphql/coalesced-sends';
import { fmt, numberArg, type Bench } from './bench';

/**
 * The floor under a feed delivery: what it costs an instance to write one event's frame to one
 * subscriber's socket, with no GraphQL, FeedHub, database or access check in the way. A `ws`
 * server with the production send path (coalesceSends: a socket corked for the turn) writes a
 * ready-made next frame of a realistic size to `per` of `subscribers` sockets per event; the
 * clients, in another process, count what arrives. `npm run bench -- feed` measures the whole
 * delivery ("CPU per sighting" over its fan-out); the difference is what GraphQL and FeedHub add.
 *
 * Passes of `--events-per-pass` events go to the sockets in one turn, as a delivery pass does:
 * a socket that receives several events in a pass gets them in one write.
 */

// A sighting as the feed bench's subscribers receive it (a STIX sighting with its cursor), ~1.1 KB.
const PAYLOAD = JSON.stringify({
  sightingReported: {
    id: 'sighting--6f2c1a9e-4b7d-4e2f-9a31-0c5d8e7f1b24',
    cursor: 'djEuYzJhZmU0ZDg2ZTQ1YjE0NmI2MzdmOWQ3ZTk4ZGE2YjQ5ZjRmYjFkZGMzOGYxYzU2NWE3ZjNmZjQ4ZGQ4OWY2Zg',
    stix: {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--6f2c1a9e-4b7d-4e2f-9a31-0c5d8e7f1b24',
      created: '2026-12-07T22:10:31.114Z',
      modified: '2026-12-07T22:10:31.114Z',
      first_seen: '2026-12-07T21:58:00.000Z',
      last_seen: '2026-12-07T22:05:00.000Z',
      count: 1,
      sighting_of_ref: 'indicator--0b8f3e6c-1d2a-4c5e-8f7a-9b0c1d2e3f40',
      where_sighted_refs: ['identity--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'],
      object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
      extensions: {
        'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': {
          extension_type: 'property-extension',
          sector: 'financial-services',
          area: 'DE',
          context: 'interview for a payroll role; candidate camera off, voice relayed',
        },
      },
    },
    sector: 'financial-services',
    country: 'DE',
    confidence: 80,
    mine: false,
  },
});

/** The subscribers' side: `n` sockets to `url`, each counting the frames it receives; prints the count when asked. */
const CLIENT = `
const { WebSocket } = require(process.argv[1]);
const [url, n] = [process.argv[2], Number(process.argv[3])];
let got = 0, open = 0;
const t0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const c = new WebSocket(url, { perMessageDeflate: false });
  c.on('open', () => { if (++open === n) process.send({ ready: true }); });
  c.on('message', () => got++);
}
process.on('message', () => { const u = process.cpuUsage(t0); process.send({ got, cpuUs: u.user + u.system }); });
`;

async function floor(subscribers: number, per: number, rate: number, seconds: number, eventsPerPass: number): Promise<void> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws, req) => {
    coalesceSends(ws, req.socket as Duplex);
    sockets.push(ws);
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  const child = spawn(process.execPath, ['-e', CLIENT, require.resolve('ws'), `ws://127.0.0.1:${port}`, String(subscribers)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = () => new Promise<{ ready?: boolean; got: number; cpuUs: number }>((resolve) => child.once('message', resolve as never));
  await ask();
  const baseline = (child.send('count'), await ask());

  const events = rate * seconds;
  const passes = Math.ceil(events / eventsPerPass);
  const intervalMs = (1000 * eventsPerPass) / rate;
  const frames = Array.from({ length: per }, (_, i) => `{"id":"${i + 1}","type":"next","payload":{"data":${PAYLOAD}}}`);
  let sent = 0;
  const self = process.cpuUsage();
  const started = Date.now();
  for (let p = 0; p < passes; p++) {
    for (let e = 0; e < eventsPerPass && p * eventsPerPass + e < events; e++) {
      const k = p * eventsPerPass + e;
      // Each event reaches `per` different sockets, spread over all of them as sectors spread subscribers.
      for (let i = 0; i < per; i++) {
        sockets[(k * 7919 + i * 13) % sockets.length].send(frames[i], () => undefined);
        sent++;
      }
    }
    const due = started + (p + 1) * intervalMs - Date.now();
    await new Promise<void>((resolve) => (due > 0 ? setTimeout(resolve, due) : setImmediate(resolve)));
  }
  const used = process.cpuUsage(self);
  // Wait for the clients to have everything (no fixed sleep: ask until the count is complete).
  let last = baseline;
  for (let tries = 0; tries < 200 && last.got < sent; tries++) {
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    child.send('count');
    last = await ask();
  }
  const wall = (Date.now() - started) / 1000;
  const us = (v: number) => (v / sent).toFixed(2);
  process.stdout.write(
    `  ${fmt(rate)} events/s × ${per} sockets of ${fmt(subscribers)}, ${eventsPerPass} event(s) per pass (${fmt(sent)} frames of ${fmt(frames[0].length)} bytes in ${wall.toFixed(1)} s, ${fmt(last.got)} received):\n` +
      `    sender ${us(used.user + used.system)} µs of CPU per delivery (user ${us(used.user)} + system ${us(used.system)}); ` +
      `receivers ${us(last.cpuUs - baseline.cpuUs)} µs\n`,
  );
  child.kill();
  for (const s of sockets) s.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

export const benches: Bench[] = [
  {
    name: 'ws-floor',
    description: 'the floor under a feed delivery: CPU to write one ready frame to one socket (ws, no GraphQL or database)',
    async run(args) {
      const subscribers = numberArg(args, 'subscribers', 500);
      const per = numberArg(args, 'per', 60);
      const seconds = numberArg(args, 'seconds', 10);
      process.stdout.write(
        `ws-floor: one instance's share of the feed bench (500 sockets, 60 deliveries per sighting); frames written through coalesceSends\n`,
      );
      for (const rate of [300, 500]) for (const eventsPerPass of [1, 3]) await floor(subscribers, per, rate, seconds, eventsPerPass);
    },
  },
];
