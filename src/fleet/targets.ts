// The databases of a many-databases run: read from a targets file or a control query's rows, then checked together.
import type { Checked, Diagnostic, SourcePosition } from '../core/diagnostic.js';
import { parseJsonSource, type JsonNode } from '../core/json-source.js';
import { closest } from '../core/strings.js';
import { historySchemaOf, schemasOf } from '../core/search-path.js';
import { LineIndex } from '../core/text.js';
import { dialectNamed, type Dialect, type DialectName } from '../core/dialect.js';
import { dialectOfUrl } from '../drivers/index.js';
import { databaseKeyOf } from '../drivers/identity.js';
import { redactUrl } from '../drivers/url.js';
import { SqlmigError } from '../errors.js';

/** One database (or one tenant's schema in a database) that a run migrates. */
export interface Target {
  /** Unique in the list; names the target in every line of output. */
  name: string;
  /** Any database URL sqlmig takes. */
  db: string;
  /** A schema per tenant: one schema, or several separated by commas, set as the search_path of every migration statement. */
  searchPath?: string;
  /** The history schema (table prefix on SQLite and MySQL); default `sqlmig`, or `sqlmig_<first schema of searchPath>`. */
  schema?: string;
}

/** A target as read, before the checks that look at the whole list; `db` may still be missing. */
export interface TargetEntry {
  name?: unknown;
  db?: unknown;
  searchPath?: unknown;
  schema?: unknown;
  /** Where the entry is: a file position, or for a query row, none. */
  position?: SourcePosition;
  /** How messages name the entry when its name is no use: `target 3`, `row 3 of the targets query`. */
  label: string;
}

const FILE_KEYS = ['name', 'db', 'searchPath', 'schema'];
const QUERY_COLUMNS: Record<string, keyof Target> = { name: 'name', db: 'db', search_path: 'searchPath', schema: 'schema' };
const FILE_HINT = 'a targets file is {"targets": [{"name": "eu-1", "db": "postgres://…"}, '
  + '{"name": "t42", "db": "…", "searchPath": "t42"}]}';
const QUERY_HINT = 'the query returns columns name and db and/or search_path (and schema): '
  + 'SELECT slug AS name, \'tenant_\' || id AS search_path FROM tenants';

/** A targets file's text: JSON `{"targets": [...]}`; every mistake at its line and column. */
export function parseTargetsFile(text: string, path: string): Checked<TargetEntry[]> {
  const lines = new LineIndex(text);
  const at = (offset: number): SourcePosition => ({ path, ...lines.position(offset) });
  const diagnostics: Diagnostic[] = [];
  const error = (offset: number, code: string, message: string, hint?: string) =>
    diagnostics.push({ severity: 'error', code, message, position: at(offset), ...(hint ? { hint } : {}) });
  const parsed = parseJsonSource(text);
  if ('error' in parsed) {
    error(parsed.error.offset, 'targets-syntax', `not valid JSON: ${parsed.error.message}`, FILE_HINT);
    return { value: [], diagnostics };
  }
  const root = parsed.value;
  const list = root.kind === 'object' ? root.entries.find((e) => e.key === 'targets')?.value : undefined;
  if (root.kind === 'object') {
    for (const e of root.entries) if (e.key !== 'targets') error(e.keyOffset, 'targets-key', `unknown key "${e.key}"`, FILE_HINT);
  }
  if (!list || list.kind !== 'array') {
    const message = list ? '"targets" must be an array of targets' : 'the file must hold {"targets": [...]}';
    error(list?.offset ?? root.offset, 'targets-shape', message, FILE_HINT);
    return { value: [], diagnostics };
  }
  const entries: TargetEntry[] = [];
  for (const [index, item] of list.items.entries()) {
    const label = `target ${index + 1}`;
    if (item.kind !== 'object') {
      error(item.offset, 'targets-shape', `${label} must be an object with "name" and "db"`, FILE_HINT);
      continue;
    }
    const entry: TargetEntry = { label, position: at(item.offset) };
    for (const { key, keyOffset, value } of item.entries) {
      if (!FILE_KEYS.includes(key)) {
        const near = closest(key === 'search_path' ? 'searchPath' : key, FILE_KEYS, 3);
        const hint = near ? `did you mean "${near}"?` : `the keys are ${FILE_KEYS.join(', ')}`;
        error(keyOffset, 'targets-key', `${label}: unknown key "${key}"`, hint);
      } else if (key in entry) {
        error(keyOffset, 'targets-key', `${label}: "${key}" given twice`);
      } else if (value.kind !== 'string') {
        error(value.offset, 'targets-type', `${label}: "${key}" must be a string, not ${describe(value)}`);
        // Kept as is: the checks of the whole list then know the key was given, and reported here.
        entry[key as keyof Target] = value;
      } else {
        entry[key as keyof Target] = value.value;
      }
    }
    entries.push(entry);
  }
  return { value: entries, diagnostics };
}

function describe(node: JsonNode): string {
  return node.kind === 'object' ? 'an object' : node.kind === 'array' ? 'an array' : node.kind === 'null' ? 'null' : `a ${node.kind}`;
}

/** A control query's rows: columns `name`, `db`, `search_path`, `schema` (null is absent); any other column is a mistake. */
export function targetEntriesOfRows(columns: readonly string[], rows: readonly Record<string, unknown>[]): Checked<TargetEntry[]> {
  const diagnostics: Diagnostic[] = [];
  for (const column of columns) {
    if (column in QUERY_COLUMNS) continue;
    const near = closest(column, Object.keys(QUERY_COLUMNS), 3);
    diagnostics.push({
      severity: 'error', code: 'targets-query', message: `the targets query returned a column "${column}", which sqlmig does not know`,
      hint: near ? `did you mean "${near}"? (PostgreSQL folds unquoted names to lower case)` : QUERY_HINT,
    });
  }
  if (!columns.includes('name')) {
    diagnostics.push({ severity: 'error', code: 'targets-query', message: 'the targets query returned no "name" column', hint: QUERY_HINT });
  }
  if (diagnostics.length > 0) return { value: [], diagnostics };
  const entries = rows.map((row, index) => {
    const entry: TargetEntry = { label: `row ${index + 1} of the targets query` };
    for (const [column, key] of Object.entries(QUERY_COLUMNS)) {
      const value = row[column];
      if (value !== null && value !== undefined) entry[key] = typeof value === 'string' ? value : String(value);
    }
    return entry;
  });
  return { value: entries, diagnostics };
}

/**
 * The whole list checked at once: names present and unique, a database for each (`defaultDb` for those
 * without one), known URLs of one dialect, a searchPath only where the dialect has one, and no two
 * targets sharing a history (the same database and history schema).
 */
export function checkTargets(entries: readonly TargetEntry[], defaultDb?: string): Checked<{ targets: Target[]; dialect?: Dialect }> {
  const diagnostics: Diagnostic[] = [];
  const error = (entry: TargetEntry, code: string, message: string, hint?: string) => diagnostics.push({
    severity: 'error', code, message, ...(hint ? { hint } : {}), ...(entry.position ? { position: entry.position } : {}),
  });
  if (entries.length === 0) {
    diagnostics.push({ severity: 'error', code: 'targets-empty', message: 'the list of targets is empty', hint: FILE_HINT });
  }
  const names = new Map<string, TargetEntry>();
  const histories = new Map<string, Target>();
  const targets: Target[] = [];
  let dialect: { name: DialectName; first: Target } | undefined;
  for (const entry of entries) {
    // A key of the wrong type was reported where it was read (parseTargetsFile).
    const misread = (value: unknown) => value !== undefined && typeof value !== 'string';
    const name = typeof entry.name === 'string' ? entry.name : '';
    const called = name === '' ? entry.label : `target "${name}"`;
    let unique = false;
    if (name === '') {
      if (!misread(entry.name)) error(entry, 'targets-name', `${entry.label} has no name`, 'every target needs a unique "name"');
    } else if (names.has(name)) {
      error(entry, 'targets-duplicate', `two targets are named "${name}"`, `the other is ${where(names.get(name)!)}`);
    } else {
      names.set(name, entry);
      unique = true;
    }
    const db = typeof entry.db === 'string' && entry.db !== '' ? entry.db : defaultDb;
    if (misread(entry.db)) continue;
    if (db === undefined) {
      error(entry, 'targets-db', `${called} names no database`, 'give it "db": "postgres://…", or name one database for all with --db');
      continue;
    }
    let ofDb: DialectName;
    try {
      ofDb = dialectOfUrl(db);
    } catch (e) {
      error(entry, 'targets-db', `${called}: ${(e as Error).message}`, (e as SqlmigError).hint);
      continue;
    }
    const target: Target = { name, db };
    if (typeof entry.searchPath === 'string') target.searchPath = entry.searchPath;
    if (typeof entry.schema === 'string') target.schema = entry.schema;
    if (!dialect) dialect = { name: ofDb, first: target };
    else if (ofDb !== dialect.name) {
      const message = `${called} is a ${ofDb} database, but "${dialect.first.name}" is ${dialect.name}: one run reads the folder in one dialect`;
      error(entry, 'targets-dialect', message, 'run each dialect\'s targets in a run of its own');
    }
    const searchPath = target.searchPath === undefined ? undefined : schemasOf(target.searchPath);
    if (searchPath !== undefined) {
      const without = dialectNamed(ofDb).withoutSearchPath;
      if (without) error(entry, 'targets-search-path', `${called}: searchPath is for PostgreSQL`, without);
      else if (searchPath.length === 0 || searchPath.some((s) => s === '')) {
        const message = `${called}: searchPath "${target.searchPath}" names no schema`;
        error(entry, 'targets-search-path', message, 'for example "tenant_42" or "tenant_42, public"');
      }
    }
    if (target.schema === '') error(entry, 'targets-schema', `${called}: "schema" is empty`, 'leave it out for the default');
    const key = databaseKeyOf(db);
    // Two targets of one name are one mistake, not two.
    if (key !== undefined && unique) {
      const schema = historySchemaOf(target.schema, target.searchPath);
      const history = `${key}\0${schema}`;
      const other = histories.get(history);
      if (other) {
        const message = `targets "${other.name}" and "${name}" would share one history: schema "${schema}" on ${redactUrl(db)}`;
        error(entry, 'targets-shared-history', message, 'give each target in one database its own searchPath or "schema"');
      } else histories.set(history, target);
    }
    targets.push(target);
  }
  return { value: { targets, dialect: dialect && dialectNamed(dialect.name) }, diagnostics };
}

function where(entry: TargetEntry): string {
  return entry.position ? `at ${entry.position.path}:${entry.position.line}:${entry.position.column}` : entry.label;
}
