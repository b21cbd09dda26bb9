import { Client } from 'pg';

/** The group role the RLS policies name; created by the migrations unless a DBA made it (README "Database privileges"). */
export const APP_GROUP_ROLE = 'cairn_app';

/**
 * What the two database logins must be able to do, checked before anything is applied, so that a
 * start-up against an external PostgreSQL fails with the full list instead of half-way through.
 *
 * DATABASE_URL (the owner, migrations): owns the database (CREATE for the cairn_private schema
 * and the trusted pgcrypto extension, ownership of schema public); and either CREATEROLE (to
 * create cairn_app) or a pre-created cairn_app granted to it WITH ADMIN OPTION (to grant it to
 * the run-time login). DATABASE_APP_URL (run time): can log in, is not a superuser, has no
 * BYPASSRLS, is neither the owner nor a member of it; it gets cairn_app from the owner, or has it.
 */
export async function databasePrivilegeProblems(ownerUrl: string, appUrl: string): Promise<string[]> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  const problems: string[] = [];
  let login: string;
  try {
    login = decodeURIComponent(new URL(appUrl).username || 'postgres');
    const { rows } = await owner.query<OwnerFacts>(OWNER_FACTS, [APP_GROUP_ROLE, login]);
    const f = rows[0];
    if (f.superuser) return problems.concat(await loginProblems(appUrl, login));
    const who = `DATABASE_URL's login "${f.owner}"`;
    if (!f.owns_database) problems.push(`${who} does not own database "${f.database}" (ALTER DATABASE ${f.database} OWNER TO ${f.owner})`);
    else if (!f.public_create) problems.push(`${who} may not create tables in schema public (ALTER SCHEMA public OWNER TO ${f.owner})`);
    if (!f.pgcrypto_installed && !f.pgcrypto_available)
      problems.push(`the server has no pgcrypto extension (install the PostgreSQL contrib package)`);
    // PostgreSQL 15 and older let CREATEROLE grant any non-superuser role; 16 and later need ADMIN OPTION (the creator gets it).
    const canGrant = f.group_exists ? f.group_admin || (f.createrole && f.version < 160000) : f.createrole;
    const needsGrant = !f.group_exists || !f.owner_in_group || !f.login_in_group;
    if (!f.group_exists && !f.createrole) {
      problems.push(
        `${who} lacks CREATEROLE to create the role ${APP_GROUP_ROLE} (ALTER ROLE ${f.owner} CREATEROLE, or as a superuser: CREATE ROLE ${APP_GROUP_ROLE} NOLOGIN; GRANT ${APP_GROUP_ROLE} TO ${f.owner} WITH ADMIN OPTION)`,
      );
    } else if (needsGrant && !canGrant) {
      problems.push(
        `${who} may not grant the role ${APP_GROUP_ROLE} (as a superuser: GRANT ${APP_GROUP_ROLE} TO ${f.owner} WITH ADMIN OPTION)`,
      );
    }
    if (f.login_exists) {
      if (f.login_super) problems.push(`DATABASE_APP_URL's login "${login}" is a superuser`);
      if (f.login_bypassrls) problems.push(`DATABASE_APP_URL's login "${login}" has BYPASSRLS`);
      if (f.login_in_owner)
        problems.push(`DATABASE_APP_URL's login "${login}" is a member of the owner "${f.owner}" (REVOKE ${f.owner} FROM ${login})`);
    }
  } finally {
    await owner.end();
  }
  return problems.concat(await loginProblems(appUrl, login));
}

/** Throws one error naming every missing privilege (see databasePrivilegeProblems). */
export async function assertDatabasePrivileges(ownerUrl: string, appUrl: string): Promise<void> {
  const problems = await databasePrivilegeProblems(ownerUrl, appUrl);
  if (problems.length > 0) {
    throw new Error(
      `the database logins lack what Cairn needs, nothing was changed (README "Database privileges"):\n  - ${problems.join('\n  - ')}`,
    );
  }
}

async function loginProblems(appUrl: string, login: string): Promise<string[]> {
  const app = new Client({ connectionString: appUrl, connectionTimeoutMillis: 5000 });
  try {
    await app.connect();
    await app.end();
    return [];
  } catch (err) {
    await app.end().catch(() => undefined);
    // The server's own reason (no such role, wrong password, not permitted to log in, pg_hba): no secret in it.
    return [`DATABASE_APP_URL's login "${login}" cannot connect: ${(err as Error).message}`];
  }
}

interface OwnerFacts {
  owner: string;
  database: string;
  version: number;
  superuser: boolean;
  createrole: boolean;
  owns_database: boolean;
  public_create: boolean;
  pgcrypto_installed: boolean;
  pgcrypto_available: boolean;
  group_exists: boolean;
  group_admin: boolean;
  owner_in_group: boolean;
  login_exists: boolean;
  login_super: boolean;
  login_bypassrls: boolean;
  login_in_group: boolean;
  login_in_owner: boolean;
}

// $1 = the group role, $2 = the run-time login. pg_has_role on a missing role would raise, hence the joins.
const OWNER_FACTS = `
  SELECT current_user AS owner, current_database() AS database, current_setting('server_version_num')::int AS version,
         me.rolsuper AS superuser, me.rolcreaterole AS createrole,
         pg_has_role(current_user, d.datdba, 'MEMBER') AS owns_database,
         has_schema_privilege(current_user, 'public', 'CREATE') AS public_create,
         EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto') AS pgcrypto_installed,
         EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgcrypto') AS pgcrypto_available,
         g.oid IS NOT NULL AS group_exists,
         coalesce(pg_has_role(current_user, g.oid, 'USAGE WITH ADMIN OPTION'), false) AS group_admin,
         coalesce(pg_has_role(current_user, g.oid, 'USAGE'), false) AS owner_in_group,
         l.oid IS NOT NULL AS login_exists,
         coalesce(l.rolsuper, false) AS login_super, coalesce(l.rolbypassrls, false) AS login_bypassrls,
         coalesce(CASE WHEN g.oid IS NOT NULL AND l.oid IS NOT NULL THEN pg_has_role(l.oid, g.oid, 'USAGE') END, false) AS login_in_group,
         coalesce(CASE WHEN l.oid IS NOT NULL THEN pg_has_role(l.oid, me.oid, 'MEMBER') END, false) AS login_in_owner
    FROM pg_roles me
    JOIN pg_database d ON d.datname = current_database()
    LEFT JOIN pg_roles g ON g.rolname = $1
    LEFT JOIN pg_roles l ON l.rolname = $2
   WHERE me.rolname = current_user`;
