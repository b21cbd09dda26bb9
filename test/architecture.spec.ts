import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The architecture rules of README "Architecture", read from the source (no database):
 *  - each table has one owning module, and only that module's SQL names it;
 *  - a lib or app uses another lib only through its index (`@cairn/<lib>`), never its files;
 *  - the libs depend on each other exactly as the module graph in the README shows (no cycles).
 */
const ROOT = resolve(__dirname, '..');

/** Every table of the migrations, and the one module whose code may name it in SQL. */
export const TABLE_OWNERS: Record<string, string> = {
  tenant: 'libs/tenancy',
  sharing_group: 'libs/tenancy',
  sharing_group_member: 'libs/tenancy',
  sharing_group_invitation: 'libs/tenancy',
  crowd_generation: 'libs/tenancy',
  app_user: 'libs/auth',
  api_key: 'libs/auth',
  refresh_token: 'libs/auth',
  audit_log: 'libs/audit',
  stix_object: 'libs/intel',
  stix_object_audience: 'libs/intel',
  feed_counter: 'libs/intel',
  observable_index: 'libs/lookup',
  lookup_usage: 'libs/lookup',
  sighting_fact: 'libs/sightings',
  taxii_collection: 'libs/taxii',
  taxii_status: 'libs/taxii',
  watch_entry: 'libs/watchlist',
  watch_key: 'libs/watchlist',
  watch_outbox: 'libs/watchlist',
  watch_hit: 'libs/watchlist',
  webhook: 'libs/watchlist',
  webhook_delivery: 'libs/watchlist',
  typeorm_migrations: 'libs/database',
  'cairn_private.trust_key': 'libs/database',
};

/**
 * Files allowed to name a table another module owns, for the time a move takes. Empty: TAXII's
 * paging SQL moved behind intel's object store (StoredObjectsService.collectionPage, issue 18).
 */
export const TEMPORARY_TAXII_PAGING_ALLOWANCE: Record<string, string[]> = {};

/** SQL files an index may still export for the time a move takes. Empty since issue 18's pages branch. */
export const TEMPORARY_SQL_EXPORTS: Record<string, string[]> = {};

/** Which libs each lib imports (its index only): the module graph drawn in README "Architecture". */
export const MODULE_GRAPH: Record<string, string[]> = {
  stix: [],
  common: [],
  database: ['common'],
  access: ['common', 'stix'],
  audit: ['access', 'common'],
  tenancy: ['access', 'audit', 'common', 'database', 'stix'],
  auth: ['access', 'audit', 'common', 'tenancy'],
  intel: ['access', 'audit', 'common', 'stix', 'tenancy'],
  lookup: ['access', 'common', 'intel', 'sightings', 'stix', 'tenancy'],
  sightings: ['access', 'audit', 'common', 'intel', 'stix', 'tenancy'],
  taxii: ['access', 'audit', 'common', 'intel', 'stix', 'tenancy'],
  'app-core': ['access', 'audit', 'auth', 'common', 'database', 'tenancy'],
  demo: ['access', 'auth', 'common', 'intel', 'sightings', 'stix', 'tenancy'],
  watchlist: ['access', 'audit', 'common', 'intel', 'lookup', 'tenancy'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const rel = (path: string) => relative(ROOT, path).split(sep).join('/');
/** 'libs/intel' for any file under libs/intel/, 'apps/cli' for apps/cli/ … */
const moduleOf = (file: string) => file.split('/').slice(0, 2).join('/');
const MODULE_DIRS = ['libs', 'apps'].flatMap((top) => readdirSync(join(ROOT, top)).map((name) => `${top}/${name}`));
const ALL_FILES = MODULE_DIRS.flatMap((m) => sourceFiles(join(ROOT, m)).map(rel));
// Specs and migrations are not the modules' code: specs set up rows of every module, the migrations are the schema.
const PRODUCT_FILES = ALL_FILES.filter((f) => !f.endsWith('.spec.ts') && !f.startsWith('libs/database/src/migrations/'));

/** The source without its comments (strings and template literals kept, nested templates included). */
export function withoutComments(src: string): string {
  let out = '';
  const stack: string[] = []; // '`' inside a template literal, '{' inside code (the outermost or a ${ … })
  let i = 0;
  const inTemplate = () => stack[stack.length - 1] === '`';
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (inTemplate()) {
      if (c === '\\') {
        out += c + (next ?? '');
        i += 2;
        continue;
      }
      if (c === '`') {
        stack.pop();
        out += c;
        i++;
        continue;
      }
      if (c === '$' && next === '{') {
        stack.push('{');
        out += '${';
        i += 2;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      stack.push('`');
      out += c;
      i++;
      continue;
    }
    if (c === '{') stack.push('{');
    if (c === '}' && stack.length > 0) {
      stack.pop();
      if (inTemplate()) {
        out += c;
        i++;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

const TABLE_NAMES = Object.keys(TABLE_OWNERS);
const name = (t: string) => t.replace('.', '\\.');
// A table named after an SQL keyword (FROM stix_object, JOIN sighting_fact f, INSERT INTO …, UPDATE …,
// DELETE FROM …, TRUNCATE …, REFERENCES …), or a string literal that is exactly a table's name.
const IN_SQL = new RegExp(
  `\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE|REFERENCES)\\s+(?:ONLY\\s+)?(?:public\\.)?(${TABLE_NAMES.map(name).join('|')})(?![\\w.])`,
  'g',
);
const AS_LITERAL = new RegExp(
  `['"\`](?:public\\.)?(${TABLE_NAMES.filter((t) => t.includes('_'))
    .map(name)
    .join('|')})['"\`]`,
  'g',
);

/** The tables a source text names in SQL. */
export function tablesNamed(src: string): Set<string> {
  const code = withoutComments(src);
  return new Set([...code.matchAll(IN_SQL), ...code.matchAll(AS_LITERAL)].map((m) => m[1]));
}

/** What a file imports or requires: module specifiers. */
function specifiers(src: string): string[] {
  return [...withoutComments(src).matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map(
    (m) => m[1],
  );
}

describe('architecture (README "Architecture")', () => {
  it('the rule finds tables named in SQL, not in comments, and not names that merely contain them', () => {
    const src = [
      '// SELECT * FROM tenant t',
      '/* JOIN stix_object */',
      'const a = `SELECT x FROM stix_object o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq ${cond ? `JOIN tenant t` : ""}`;',
      "const b = 'INSERT INTO observable_index (kind) VALUES ($1)'; const url = 'http://x/'; // FROM api_key",
      "const c = 'uses stix_object_feed_seq_key'; const d = rows['public.taxii_status'];",
    ].join('\n');
    expect([...tablesNamed(src)].sort()).toEqual(['observable_index', 'sighting_fact', 'stix_object', 'taxii_status', 'tenant']);
  });

  it('every table of the migrations has one owner', () => {
    const created = new Set(
      sourceFiles(join(ROOT, 'libs/database/src/migrations')).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_.]+)/g)].map((m) => m[1]),
      ),
    );
    expect([...created].sort()).toEqual(TABLE_NAMES.filter((t) => t !== 'typeorm_migrations').sort());
  });

  it("no module's SQL names a table another module owns", () => {
    const trespasses: string[] = [];
    for (const file of PRODUCT_FILES) {
      const mine = moduleOf(file);
      // libs/database is the schema itself (migrations, grants, whole-database backup and restore).
      if (mine === 'libs/database') continue;
      const allowed = new Set(TEMPORARY_TAXII_PAGING_ALLOWANCE[file] ?? []);
      for (const table of tablesNamed(readFileSync(join(ROOT, file), 'utf8'))) {
        if (TABLE_OWNERS[table] !== mine && !allowed.has(table))
          trespasses.push(`${file} names ${table} (owned by ${TABLE_OWNERS[table]})`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('the temporary allowance names only what is still there', () => {
    const stale = Object.entries(TEMPORARY_TAXII_PAGING_ALLOWANCE).flatMap(([file, tables]) => {
      let named = new Set<string>();
      try {
        named = tablesNamed(readFileSync(join(ROOT, file), 'utf8'));
      } catch {
        // A file that is gone needs no allowance.
      }
      return tables.filter((t) => !named.has(t)).map((t) => `${file}: ${t}`);
    });
    expect(stale).toEqual([]);
  });

  /**
   * The console is a browser bundle and cannot load a lib's index (Nest, pg): it may import a
   * lib's vocabulary file directly, one that itself imports nothing, so the list stays defined once.
   */
  const browserVocabulary = (file: string, target: string) =>
    file.startsWith('apps/console/') &&
    specifiers(readFileSync(join(ROOT, target.endsWith('.ts') ? target : `${target}.ts`), 'utf8')).length === 0;

  it("no lib or app reaches into another lib's files: only its index, @cairn/<lib>", () => {
    const deep: string[] = [];
    for (const file of ALL_FILES) {
      const mine = moduleOf(file);
      for (const spec of specifiers(readFileSync(join(ROOT, file), 'utf8'))) {
        if (/^@cairn\/[a-z-]+\//.test(spec)) deep.push(`${file} imports ${spec}`);
        if (!spec.startsWith('.')) continue;
        const target = rel(resolve(ROOT, dirname(file), spec));
        // Tests and their factories are not modules; an app's on-demand load of the other app is not a lib's internals.
        if (target.startsWith('libs/') && moduleOf(target) !== mine && !browserVocabulary(file, target))
          deep.push(`${file} imports ${spec}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it("a lib's index exports its public surface (module, services, types), not its SQL files", () => {
    const sqlFile = /(\.sql|\.queries|\/object-store|\/sighting-facts)$/;
    const leaks = MODULE_DIRS.filter((m) => m.startsWith('libs/')).flatMap((lib) => {
      const index = `${lib}/src/index.ts`;
      const exported = [
        ...withoutComments(readFileSync(join(ROOT, index), 'utf8')).matchAll(/^export\s+(type\s+)?(?:\*|\{[^}]*\})\s+from\s+'([^']+)'/gm),
      ];
      return exported
        .filter(([, typeOnly, from]) => !typeOnly && sqlFile.test(from) && !(TEMPORARY_SQL_EXPORTS[index] ?? []).includes(from))
        .map(([, , from]) => `${index} exports ${from}`);
    });
    expect(leaks).toEqual([]);
  });

  it('the libs import each other as the module graph shows, and the graph has no cycle', () => {
    const graph: Record<string, string[]> = {};
    for (const file of PRODUCT_FILES.filter((f) => f.startsWith('libs/'))) {
      const lib = file.split('/')[1];
      const used = specifiers(readFileSync(join(ROOT, file), 'utf8'))
        .flatMap((s) => /^@cairn\/([a-z-]+)$/.exec(s)?.[1] ?? [])
        .filter((l) => l !== lib);
      graph[lib] = [...new Set([...(graph[lib] ?? []), ...used])].sort();
    }
    expect(graph).toEqual(Object.fromEntries(Object.keys(graph).map((lib) => [lib, MODULE_GRAPH[lib] ?? ['(not in MODULE_GRAPH)']])));
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycle = (lib: string, path: string[]): string[] | null => {
      if (done.has(lib)) return null;
      if (visiting.has(lib)) return [...path, lib];
      visiting.add(lib);
      for (const dep of MODULE_GRAPH[lib] ?? []) {
        const found = cycle(dep, [...path, lib]);
        if (found) return found;
      }
      visiting.delete(lib);
      done.add(lib);
      return null;
    };
    expect(
      Object.keys(MODULE_GRAPH)
        .map((lib) => cycle(lib, []))
        .find((c) => c !== null) ?? null,
    ).toBeNull();
  });
});
