import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceSends, EARLY_ACK_BYTES } from './coalesced-sends';

/** A real WebSocket over loopback; the server side's socket counts the writes that reach the kernel. */
async function pair(): Promise<{ server: WebSocket; writes: () => number; client: WebSocket; received: string[]; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  let writes = 0;
  const accepted = new Promise<WebSocket>((resolve) =>
    http.on('upgrade', (req, socket: Socket, head) => {
      const s = socket as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
      const write = s._write.bind(s);
      const writev = s._writev.bind(s);
      s._write = (...a) => (writes++, write(...a));
      s._writev = (...a) => (writes++, writev(...a));
      wss.handleUpgrade(req, socket, head, (ws) => {
        coalesceSends(ws, socket);
        resolve(ws);
      });
    }),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (d) => received.push(String(d)));
  const server = await accepted;
  await new Promise((r) => client.once('open', r));
  return {
    server,
    client,
    received,
    writes: () => writes,
    close: async () => {
      client.terminate();
      server.terminate();
      await new Promise((r) => http.close(r));
    },
  };
}

const until = async (what: string, cond: () => boolean) => {
  for (let i = 0; !cond(); i++) {
    if (i > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
};

describe('coalesceSends', () => {
  it('sends of one turn leave in one write, in order, and are acknowledged without waiting for the kernel', async () => {
    const p = await pair();
    try {
      const before = p.writes();
      const acked: number[] = [];
      for (let i = 0; i < 10; i++) p.server.send(`event ${i}`, () => acked.push(i));
      await Promise.resolve();
      await Promise.resolve();
      expect(acked).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // before the turn ends: nothing written yet
      expect(p.writes()).toBe(before);
      await until('ten messages', () => p.received.length === 10);
      expect(p.received).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i}`));
      expect(p.writes() - before).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('past EARLY_ACK_BYTES buffered, acknowledgements wait for the kernel again (back-pressure reaches graphql-ws)', async () => {
    const p = await pair();
    try {
      const big = 'x'.repeat(EARLY_ACK_BYTES);
      let firstAcked = false;
      let secondAcked = false;
      p.server.send(big, () => (firstAcked = true));
      p.server.send('after', () => (secondAcked = true));
      await Promise.resolve();
      await Promise.resolve();
      expect(firstAcked).toBe(true); // nothing was buffered when it was sent
      expect(secondAcked).toBe(false); // 64 KiB were
      await until('the second acknowledgement', () => secondAcked);
      await until('both messages', () => p.received.length === 2);
      expect(p.received[1]).toBe('after');
    } finally {
      await p.close();
    }
  });
});
