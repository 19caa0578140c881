// Schema snapshots of the PostgreSQL family, listing again only what changed since an earlier one.
import type { Snapshot, SnapshotFields } from '../core/snapshot.js';
import type { Row, Session, SnapshotBase } from './driver.js';
import { CATALOGS, CHANGES_SQL, FULL_SQL, LISTED_SQL, NOW_SQL } from './pg-snapshot-sql.js';
import { quoteIdent } from './pg-sql.js';

interface Described {
  part: number;
  owner: string;
  /** With the column's position, as the snapshot shows it. */
  fields: SnapshotFields;
}

/** What a snapshot saw: its objects by key, the entries of the rows whose deletion matters, and where it stood in time. */
interface Seen {
  objects: Map<string, Described>;
  /** Per catalog that has them (CATALOGS' `present`), by the entries' first letter. */
  present: Map<string, Set<string>>;
  /** The transaction ID the next snapshot counts from. */
  next: string;
  /** The open transaction's counters of catalog rows written (NOW_SQL). */
  counters: number[];
}

const seenOf = new WeakMap<Snapshot, Seen>();
const lastOf = new WeakMap<Session, Seen>();

const QUERIES = {
  sqlmig_snapshot_changes: CHANGES_SQL,
  sqlmig_snapshot_full: FULL_SQL,
  sqlmig_snapshot_listed: LISTED_SQL,
};

/** Parts whose objects' keys name their owner in other objects' keys too: a schema, a relation, a type. */
const NAMING_PARTS = new Set([0, 1, 6]);

/**
 * The schema as data. The first snapshot of a session lists every object (prepared statements:
 * planned once per session). A later one asks which catalog rows were written since the session's
 * last snapshot, or since `base` (see SnapshotBase), and which are gone, and lists again only the
 * objects those rows belong to: a file changes a few objects of a schema of thousands. Since a
 * snapshot of the open transaction, the transaction's counters of rows written tell which catalogs to
 * read at all; a schema unchanged since a snapshot is not read.
 *
 * Everything is listed again when a change reaches other objects' keys (a schema, relation or type
 * renamed), when an extension or its members change (which objects count), or when transaction IDs
 * cannot be compared (half their space used since).
 */
export async function pgSnapshot(session: Session, historySchema: string, base?: SnapshotBase): Promise<Snapshot> {
  const known = base && seenOf.get(base.of);
  if (known && base.since === 'unchanged') {
    const [now] = await session.query<{ next: string; counters: (number | string)[] }>(NOW_SQL);
    return remember(session, { ...known, next: now.next, counters: now.counters.map(Number) });
  }
  const from = known && base.since === 'this transaction' ? known : lastOf.get(session);
  const args = { history: historySchema, since: from?.next ?? '3', counters: known && base.since === 'this transaction' ? known.counters : null };
  return withQueries(session, historySchema, args, async (execute) => {
    const changes = await execute('sqlmig_snapshot_changes') as Changes;
    const present = presentNow(from, changes);
    const objects = (from && changes.age < 2 ** 30 && await listChanged(execute, from, changes, present))
      || objectsOf((await execute('sqlmig_snapshot_full')).objects as Json);
    return remember(session, { objects, present, next: changes.next, counters: changes.counters.map(Number) });
  });
}

type Changes = {
  age: number;
  next: string;
  counters: (number | string)[];
  written: string[];
  present: (string[] | null)[] | string;
  /** The objects of the owners of the written rows. */
  objects: Json;
};

function remember(session: Session, seen: Seen): Snapshot {
  const snapshot = new Map([...seen.objects].map(([key, d]) => [key, d.fields]));
  seenOf.set(snapshot, seen);
  lastOf.set(session, seen);
  return snapshot;
}

/** The present entries now: the catalogs read again as read, the others as before plus what was written. */
function presentNow(from: Seen | undefined, changes: Changes): Map<string, Set<string>> {
  const lists = typeof changes.present === 'string' ? JSON.parse(changes.present) as (string[] | null)[] : changes.present;
  const present = new Map<string, Set<string>>();
  CATALOGS.forEach((c, i) => {
    if (!c.present) return;
    const tag = c.entry.charAt(1);
    present.set(tag, lists[i] ? new Set(lists[i]) : new Set(from?.present.get(tag)));
  });
  for (const entry of changes.written) present.get(entry.charAt(0))?.add(entry);
  return present;
}

/**
 * The objects again, those of changed owners listed anew (those of written rows came with the
 * changes); undefined when everything must be listed.
 */
type Execute = (name: keyof typeof QUERIES, args?: object) => Promise<Row>;

async function listChanged(execute: Execute, from: Seen, changes: Changes, present: Map<string, Set<string>>): Promise<Map<string, Described> | undefined> {
  const changed = new Set(changes.written.map(ownerOf));
  // Owners of rows that came or went: deleted, or with no row written (a comment dropped, a label added).
  const gone = new Set(changed);
  const unlisted = new Set<string>();
  for (const [tag, now] of present) {
    const before = from.present.get(tag) ?? new Set<string>();
    const differ = (entry: string) => { gone.add(ownerOf(entry)); if (!changed.has(ownerOf(entry))) unlisted.add(ownerOf(entry)); };
    for (const entry of now) if (!before.has(entry)) differ(entry);
    for (const entry of before) if (!now.has(entry)) differ(entry);
  }
  if (gone.size === 0) return from.objects;
  if ([...gone].some((owner) => owner.startsWith('x'))) return undefined;
  const listed = objectsOf(changes.objects);
  // An owner whose own row is gone is gone, with its objects: nothing to list.
  const toList = [...unlisted].filter((owner) => !OWN_ROWS.has(owner.charAt(0)) || present.get(owner.charAt(0))!.has(owner));
  if (toList.length > 0) {
    const owners: Record<string, string[]> = {};
    for (const owner of toList) (owners[owner.charAt(0)] ??= []).push(owner.slice(1));
    for (const [key, d] of objectsOf((await execute('sqlmig_snapshot_listed', { owners })).objects as Json)) listed.set(key, d);
  }
  const objects = new Map([...from.objects].filter(([, d]) => !gone.has(d.owner)));
  const named = new Map<string, string>();
  for (const [key, d] of from.objects) if (gone.has(d.owner) && NAMING_PARTS.has(d.part)) named.set(d.owner, key);
  for (const [key, d] of listed) {
    // Renamed: other objects' keys name it (a column its table, a function its argument types).
    if (NAMING_PARTS.has(d.part) && named.has(d.owner) && named.get(d.owner) !== key) return undefined;
    objects.set(key, d);
  }
  return objects;
}

/** Catalogs whose present entries are the owners' own rows (`r16433`): without it, the owner is gone. */
const OWN_ROWS = new Set(['n', 'r', 't', 'p', 'k', 'g', 'o', 'e']);

/** `d1259.16433.2=r16433` -> `r16433`; `r16433` -> itself. */
function ownerOf(entry: string): string {
  const at = entry.indexOf('=');
  return at < 0 ? entry : entry.slice(at + 1);
}

type Json = string | Record<string, unknown> | null;
/** [part, owner, key, position, fields]: see FULL_SQL. */
type ObjectRow = [number, string, string, number | null, Json];

function objectsOf(json: Json): Map<string, Described> {
  const rows = typeof json === 'string' ? JSON.parse(json) as ObjectRow[] : (json ?? []) as unknown as ObjectRow[];
  return new Map(rows.map(([part, owner, key, position, fields]) => {
    const text = textFields(fields!);
    return [key, { part, owner, fields: position === null ? text : { position: String(position), ...text } }];
  }));
}

/**
 * Runs the queries of one snapshot, `args` in the setting they read (see pg-snapshot-sql.ts). They
 * are functions in the history schema, made on first use: PL/pgSQL keeps a query's plan for the
 * session, through the session resets after files that may change session state (DEALLOCATE ALL
 * would drop prepared statements), and planning these queries costs more than running them. Made
 * in a transaction that is then rolled back, they are made again.
 */
async function withQueries<T>(session: Session, historySchema: string, args: object, run: (execute: Execute) => Promise<T>): Promise<T> {
  const schema = quoteIdent(historySchema);
  const [state] = await session.query<{ made: boolean }>(`SELECT to_regprocedure($1) IS NOT NULL AS made, set_config('sqlmig.snapshot', $2, false)`,
    [`${schema}.${Object.keys(QUERIES)[0]}()`, JSON.stringify(args)]);
  if (!state.made) await session.execute(Object.entries(QUERIES).map(([name, sql]) => functionSql(schema, name, sql)).join(';\n'));
  return run(async (name, more) => {
    if (more) await session.query(`SELECT set_config('sqlmig.snapshot', $1, false)`, [JSON.stringify({ ...args, ...more })]);
    const [{ result }] = await session.query<{ result: Row | string }>(`SELECT ${schema}.${name}() AS result`);
    return typeof result === 'string' ? JSON.parse(result) as Row : result;
  });
}

/** A query returning one row as a function returning it as JSON, with the catalogs first on its search path. */
function functionSql(schema: string, name: string, sql: string): string {
  return `CREATE OR REPLACE FUNCTION ${schema}.${name}() RETURNS json LANGUAGE plpgsql SET search_path = pg_catalog AS $sqlmig$
BEGIN RETURN (SELECT row_to_json(q) FROM (${sql}) q); END $sqlmig$`;
}

/** JSON's numbers and booleans as the text the server would print (`true`, `2`). */
function textFields(json: Exclude<Json, null>): SnapshotFields {
  const fields = typeof json === 'string' ? JSON.parse(json) as Record<string, unknown> : json;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}
