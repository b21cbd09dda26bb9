import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 changed how identifiers are normalised (libs/stix/src/normalise): phones through
 * libphonenumber (`+4402079460958` is `+442079460958`), e-mail mailbox rules per provider (Gmail
 * dots and +tags, googlemail.com, Proton's domains, +tags at Microsoft and Fastmail), wallet
 * payment URIs (`bitcoin:…`, `ethereum:…`) read as their address. This rebuilds the index rows the
 * change affects, set-based:
 *
 * - raw EMAIL / PHONE keys re-keyed in their canonical form (one INSERT … SELECT over unnest, the old
 *   rows deleted in one DELETE), each new row a copy of the old (audience and cell unchanged);
 * - cryptocurrency-wallet objects whose value is a payment URI, indexed by their address (audience
 *   copied from the stored version, cell from the object's other index rows; with none, no cell
 *   until `lookup reindex` gives it its publisher's, as for any row stored without one).
 *
 * Keyed hashes (`hmac:` keys) cannot be rebuilt: the raw value was never stored (DESIGN.md
 * "Protected identifiers"), and migrations do not hold the secret. Lookups and screening probe the
 * keyed hash of a value's former form as well (libs/lookup/src/identifier-keys.ts), so a protected
 * value published before stays findable as it was written. The rules are written out here (no
 * @cairn/* import: migrations run outside the module aliases), and a spec keeps them equal to the code's.
 */
export class IdentifierNormalisation1766000700000 implements MigrationInterface {
  name = 'IdentifierNormalisation1766000700000';

  async up(q: QueryRunner): Promise<void> {
    const raw: Array<{ pk: string; kind: string; key: string }> = await q.query(
      `SELECT object_pk::text AS pk, kind, key FROM observable_index WHERE kind IN ('EMAIL', 'PHONE') AND key NOT LIKE 'hmac:%' AND key NOT LIKE 'sha256:%'`,
    );
    const moved = raw
      .map((r) => ({ ...r, to: r.kind === 'EMAIL' ? canonicalEmail(r.key) : canonicalPhone(r.key) }))
      .filter((r) => r.to !== undefined && r.to !== r.key);
    if (moved.length > 0) {
      const params = [moved.map((r) => r.pk), moved.map((r) => r.kind), moved.map((r) => r.key), moved.map((r) => r.to)];
      await q.query(
        `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, cell_sector, cell_area)
         SELECT x.object_pk, x.kind, m.new_key, x.publisher_tenant_id, x.distribution, x.audience_sectors, x.audience_countries, x.audience_group_id, x.audience_recipients, x.cell_sector, x.cell_area
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS m(pk, kind, old_key, new_key)
           JOIN observable_index x ON x.object_pk = m.pk AND x.kind = m.kind AND x.key = m.old_key
         ON CONFLICT DO NOTHING`,
        params,
      );
      await q.query(
        `DELETE FROM observable_index x USING unnest($1::bigint[], $2::text[], $3::text[]) AS m(pk, kind, old_key)
          WHERE x.object_pk = m.pk AND x.kind = m.kind AND x.key = m.old_key`,
        params.slice(0, 3),
      );
    }

    const wallets: Array<{ pk: string; value: string }> = await q.query(
      `SELECT pk::text AS pk, doc->>'value' AS value FROM stix_object WHERE type = 'cryptocurrency-wallet' AND doc->>'value' ~* '^(bitcoin|ethereum):'`,
    );
    const found = wallets
      .map((w) => ({ pk: w.pk, key: walletOfUri(w.value) }))
      .filter((w): w is { pk: string; key: string } => w.key !== undefined);
    if (found.length > 0) {
      await q.query(
        `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, cell_sector, cell_area)
         SELECT o.pk, 'WALLET', w.key, o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id, o.audience_recipients, c.cell_sector, c.cell_area
           FROM unnest($1::bigint[], $2::text[]) AS w(pk, key)
           JOIN stix_object o ON o.pk = w.pk
           LEFT JOIN LATERAL (SELECT cell_sector, cell_area FROM observable_index i WHERE i.object_pk = o.pk AND i.cell_sector IS NOT NULL LIMIT 1) c ON true
         ON CONFLICT DO NOTHING`,
        [found.map((w) => w.pk), found.map((w) => w.key)],
      );
    }
  }

  async down(): Promise<void> {
    // The old keys were a worse form of the same values; nothing to restore.
  }
}

type Provider = { domain: string; dots: boolean; plus: boolean };
const GMAIL: Provider = { domain: 'gmail.com', dots: true, plus: true };
const PROTON: Provider = { domain: 'proton.me', dots: false, plus: true };
const PLUS_ONLY = (domain: string): Provider => ({ domain, dots: false, plus: true });
const PROVIDERS: ReadonlyMap<string, Provider> = new Map([
  ['gmail.com', GMAIL],
  ['googlemail.com', GMAIL],
  ['proton.me', PROTON],
  ['protonmail.com', PROTON],
  ['protonmail.ch', PROTON],
  ['pm.me', PROTON],
  ...['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'fastmail.com'].map((d) => [d, PLUS_ONLY(d)] as [string, Provider]),
]);

/** The mailbox form of an addr-spec key (already lower-case, punycode), as normaliseEmail gives it. */
export function canonicalEmail(key: string): string | undefined {
  const at = key.lastIndexOf('@');
  if (at < 1) return undefined;
  const provider = PROVIDERS.get(key.slice(at + 1));
  if (!provider) return key;
  let local = key.slice(0, at);
  if (provider.plus) local = local.split('+')[0];
  if (provider.dots) local = local.replace(/\./g, '');
  return local === '' ? undefined : `${local}@${provider.domain}`;
}

/** The E.164 form of a `+digits` key, as normalisePhone gives it. */
export function canonicalPhone(key: string): string | undefined {
  if (!/^\+[1-9]\d{7,14}$/.test(key)) return undefined;
  const n = parsePhoneNumberFromString(key);
  return n && n.isPossible() ? n.number : key;
}

const PAYMENT_URI = /^(?:bitcoin|ethereum):(?:pay-)?([^?@/]+)(?:[@/?].*)?$/i;

/** The address of a payment URI, keyed as normaliseWallet keys it. */
export function walletOfUri(value: string): string | undefined {
  const a = PAYMENT_URI.exec(value.trim())?.[1];
  if (!a) return undefined;
  if (/^0x[0-9a-fA-F]{40}$/.test(a) || /^(?:bc1[ac-hj-np-z02-9]{8,87}|BC1[AC-HJ-NP-Z02-9]{8,87})$/.test(a)) return a.toLowerCase();
  return /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/.test(a) ? a : undefined;
}
