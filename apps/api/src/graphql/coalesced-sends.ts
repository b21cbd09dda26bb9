import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * While a socket has less than this buffered, a send is acknowledged at once instead of when the
 * kernel has taken the frame. Past it, acknowledgements wait for the kernel again, so a reader
 * that does not keep up stops graphql-ws pulling events, its FeedHub queue fills, and it is
 * dropped with WS_TOO_SLOW as before: at most this much more is held per socket.
 */
export const EARLY_ACK_BYTES = 64 * 1024;

/** ws.send as graphql-ws calls it: data and a callback for when the frame is written. */
type Send = (data: unknown, cb?: (err?: Error) => void) => void;

/**
 * Frames sent to one socket in one turn of the event loop leave in one write. graphql-ws sends an
 * event and waits for the send's callback before taking the next, and `ws` writes every frame on
 * its own, so a subscriber that gets the ten sightings of one report got ten writes (system calls
 * and, on loopback, the receiver's TCP work too): with a thousand subscribers that was most of an
 * instance's CPU. Here the socket is corked from the first send of a turn until the next
 * (setImmediate), and while little is buffered the callback comes at once, so graphql-ws hands
 * over the whole of a delivery pass in that turn. Order is kept (one socket, one stream); nothing
 * is held past the turn. `rewrite` sees each text frame first (SharedPayloads.expand).
 */
export function coalesceSends(ws: WebSocket, socket: Duplex, rewrite: (frame: string) => string = (f) => f): void {
  const send = ws.send.bind(ws) as Send;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  (ws as unknown as { send: Send }).send = (frame, cb) => {
    const data = typeof frame === 'string' ? rewrite(frame) : frame;
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    if (typeof cb !== 'function' || ws.bufferedAmount >= EARLY_ACK_BYTES) return send(data, cb);
    // A write that fails later closes the socket, which ends its operations (graphql-ws's close path).
    send(data, () => undefined);
    queueMicrotask(() => cb());
  };
}
