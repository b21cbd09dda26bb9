import { connect, type Socket } from 'node:net';

/**
 * HTTP/1.1 by hand, for what fetch hides: a request held half-sent, and several requests on one
 * kept-alive connection.
 */
async function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<string> }> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, received: () => received, closed };
}

/** Sends a POST /graphql with all but the last byte of its body; finish() sends that and resolves with the raw response. */
export async function openRequest(port: number, body: string): Promise<{ finish(): Promise<string> }> {
  const { socket, closed } = await open(port);
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, -1)}`,
  );
  return {
    finish: () => {
      socket.write(body.slice(-1));
      return closed;
    },
  };
}

/**
 * A kept-alive connection: write() sends raw bytes (a request may be split across calls);
 * response() resolves with the next whole response (ASCII answers with a Content-Length).
 */
export async function keptAlive(port: number): Promise<{ write(raw: string): void; response(): Promise<string>; closed: Promise<string> }> {
  const { socket, received, closed } = await open(port);
  let seen = 0;
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  return {
    closed,
    write: (raw) => socket.write(raw),
    response: async () => {
      for (;;) {
        const text = received().slice(seen);
        const end = text.indexOf('\r\n\r\n');
        const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, end));
        if (end >= 0 && length && text.length - (end + 4) >= Number(length[1])) {
          seen += end + 4 + Number(length[1]);
          return text.slice(0, end + 4 + Number(length[1]));
        }
        if (isClosed) throw new Error(`connection closed before a whole response: ${JSON.stringify(text)}`);
        await Promise.race([new Promise((r) => socket.once('data', r)), closed]);
      }
    },
  };
}
