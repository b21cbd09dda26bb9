import type { Authenticator, CredentialState } from './authenticator';
import type { Viewer } from './viewer';

/** The one way a live subscription closes its socket: graphql-ws keeps the socket in the context's extra. */
export type SocketDropper = (code: number, reason: string) => void;

/** The socket of a subscription's context (graphql-ws `extra.socket`), as a dropper; undefined over HTTP. */
export function socketDropper(ctx: unknown): SocketDropper | undefined {
  const socket = (ctx as { req?: { extra?: { socket?: { close(code: number, reason: string): void } } } })?.req?.extra?.socket;
  return socket ? (code, reason) => socket.close(code, reason) : undefined;
}

/**
 * A WebSocket is authenticated once; a live subscription re-checks its credential before it
 * delivers (key revoked or expired, user disabled, tenant suspended), at most every
 * WS_CREDENTIAL_RECHECK_MS per credential so a busy stream does not query per event.
 */
export class LiveCredentials {
  private readonly cache = new Map<string, { at: number; state: Promise<CredentialState> }>();

  constructor(
    private readonly auth: Authenticator,
    private readonly recheckMs: number,
  ) {}

  state(v: Viewer): Promise<CredentialState> {
    const key = `${v.tenantId}|${v.apiKeyId ?? ''}|${v.userId ?? ''}|${v.sessionId ?? ''}|${v.expiresAt ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.recheckMs) return hit.state;
    const state = this.auth.recheck([v]).then(([s]) => s);
    // A failed check is not remembered: the caller fails and asks again next time.
    state.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), state });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return state;
  }

  /** Whether `v` may still receive; if not, closes its socket with the door's code (expired 4401, otherwise 4403). */
  async admit(v: Viewer, drop?: SocketDropper): Promise<boolean> {
    const state = await this.state(v);
    // A changed role still may read (the socket's sweep asks it to connect again).
    if (state === 'valid' || state === 'changed') return true;
    if (state === 'expired') drop?.(4401, 'Credentials expired; connect again with fresh ones');
    else drop?.(4403, 'Credentials no longer valid');
    return false;
  }
}
