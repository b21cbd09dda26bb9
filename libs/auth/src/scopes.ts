import { SCOPES, type Scope } from '@cairn/common';

/**
 * The one spelling of a scope ('taxii:read') for either spelling a person may type: the stored
 * and documented one, or the GraphQL enum name (TAXII_READ, any case). Undefined when it is neither.
 */
export function canonicalScope(input: string): Scope | undefined {
  const s = input.trim().toLowerCase();
  const colon = s.includes(':') ? s : s.replace(/_/, ':');
  return (SCOPES as readonly string[]).includes(colon) ? (colon as Scope) : undefined;
}

/** Canonical scopes (order kept, duplicates dropped) and the inputs that are no scope at all. */
export function canonicalScopes(inputs: readonly string[]): { scopes: Scope[]; unknown: string[] } {
  const scopes = new Set<Scope>();
  const unknown: string[] = [];
  for (const input of inputs) {
    const scope = canonicalScope(input);
    if (scope) scopes.add(scope);
    else unknown.push(input);
  }
  return { scopes: [...scopes], unknown };
}
