/**
 * The values object of a GraphQL enum, built from a vocabulary's one list (pass it to
 * registerEnumType): each value under a name GraphQL allows, by default its upper-case spelling
 * with every other character an underscore ('AMBER+STRICT' → AMBER_STRICT, 'detected-after-hire' →
 * DETECTED_AFTER_HIRE). GraphQL clients send and receive the names; the code sees the values.
 */
export function graphqlEnumOf<T extends string>(
  values: readonly T[],
  nameOf: (value: T) => string = defaultName,
): Readonly<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const value of values) {
    const name = nameOf(value);
    if (Object.hasOwn(out, name)) throw new Error(`graphqlEnumOf: "${value}" and "${out[name]}" both map to ${name}`);
    out[name] = value;
  }
  return Object.freeze(out);
}

function defaultName(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
