/**
 * The text of a UUID as an id column of type uuid is asked with: 8-4-4-4-12 hex digits, either
 * case, any version. Ids that clients send are checked against it first, so that anything else
 * finds nothing instead of making PostgreSQL raise. (STIX ids are stricter: `isValidUuid` in
 * @cairn/stix also checks the version and variant.)
 */
export const UUID_TEXT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const UUID = new RegExp(`^${UUID_TEXT}$`);

/** True when `value` is the text of a UUID (UUID_TEXT). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
