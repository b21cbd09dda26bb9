import { TenancyError, TenancyErrorCode } from './tenancy.errors';

/** What tenants and sharing groups are named by in URLs, collections and the CLI; the database checks the same (tenant and sharing_group CHECKs). */
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG.test(value);
}

/** Throws INVALID_SLUG unless `value` is a slug. */
export function checkSlug(value: unknown): void {
  if (!isSlug(value))
    throw new TenancyError(TenancyErrorCode.INVALID_SLUG, 'Slug must be 2–63 lower-case letters, digits or hyphens', 'slug');
}

/** Throws INVALID_NAME when a tenant's or sharing group's display name is empty (or only blanks). */
export function checkName(value: string | undefined): void {
  if (!value?.trim()) throw new TenancyError(TenancyErrorCode.INVALID_NAME, 'Name must not be empty', 'name');
}
