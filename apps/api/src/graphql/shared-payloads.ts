import type { ExecutionResult } from 'graphql';

/**
 * Subscribers with the same operation share one execution result per feed row
 * (shared-subscription-results.ts), but graphql-ws turns each into JSON again for every socket —
 * the payload, a whole STIX sighting, a thousand times over. Here the payload's JSON is made once
 * per result: onNext hands graphql-ws a stand-in, `{ data: "<token>" }`, and the socket's send
 * puts the JSON in its place. graphql-ws writes a next frame as `{"id":…,"type":"next","payload":
 * {"data":"<token>"}}`, and JSON escaping keeps anything a client chose (its subscription id, a
 * ping's payload, which the pong echoes) from making a frame that way, so only stand-ins made
 * here are replaced. Tokens are per socket and used once.
 */
export class SharedPayloads {
  private readonly json = new WeakMap<object, string>();
  private readonly pending = new WeakMap<object, Map<string, string>>();
  private next = 0;

  /** The payload graphql-ws should send on `socket` for `result`, or undefined for its own (a result with anything but data). */
  standIn(socket: object, result: ExecutionResult): ExecutionResult | undefined {
    const { data } = result;
    if (typeof data !== 'object' || data === null || Object.keys(result).length !== 1) return undefined;
    let text = this.json.get(data);
    if (text === undefined) this.json.set(data, (text = JSON.stringify(data)));
    let tokens = this.pending.get(socket);
    if (!tokens) this.pending.set(socket, (tokens = new Map()));
    const token = `${STAND_IN}${(this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER)}`;
    tokens.set(token, text);
    return { data: token as unknown as ExecutionResult['data'] };
  }

  /** The frame with its stand-in replaced by the payload's JSON (other frames as they are). */
  expand(socket: object, frame: string): string {
    // A next frame starts with its id; a pong (which echoes the client's own payload) does not.
    if (!frame.startsWith('{"id":"') || !frame.endsWith('"}}')) return frame;
    const m = FRAME_END.exec(frame);
    const tokens = m && this.pending.get(socket);
    const text = tokens?.get(STAND_IN + m![1]);
    if (text === undefined) return frame;
    tokens!.delete(STAND_IN + m![1]);
    return `${frame.slice(0, m!.index)}","type":"next","payload":{"data":${text}}}`;
  }
}

/** A control character no payload of ours starts a string with: JSON writes it as \u0001. */
const STAND_IN = '\u0001cairn-payload:';
const FRAME_END = /","type":"next","payload":\{"data":"\\u0001cairn-payload:(\d+)"\}\}$/;
