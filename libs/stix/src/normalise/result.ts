/** Outcome of normalising a looked-up identifier: the canonical value, or why it was refused. */
export type Normalised<Extra extends object = object> = ({ ok: true; value: string } & Extra) | { ok: false; reason: string };

export function ok<Extra extends object = object>(value: string, extra?: Extra): Normalised<Extra> {
  return { ok: true, value, ...(extra as Extra) };
}

export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Inputs longer than this are refused before any parsing. */
export const MAX_IDENTIFIER_LENGTH = 2048;
