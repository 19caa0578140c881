// Schema snapshots of the PostgreSQL family, listing again only what changed since an earlier one.
import type { Snapshot, SnapshotFields } from '../core/snapshot.js';
import type { Session, SnapshotBase } from './driver.js';
import { CATALOGS, FULL_SQL, FUNCTIONS, PARTS_OF_OWNER } from './pg-snapshot-sql.js';
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
  /** The transaction ID the next snapshot counts from (`now` in FUNCTIONS). */
  next: string;
  /** The open transaction's counters of catalog rows written (`now` in FUNCTIONS). */
  counters: number[];
}

const seenOf = new WeakMap<Snapshot, Seen>();
const lastOf = new WeakMap<Session, Seen>();

/** Parts whose objects' keys name their owner in other objects' keys too: a schema, a relation, a type. */
const NAMING_PARTS = new Set([0, 1, 6]);
/** Owners whose present entries are their own rows (`r16433`): without it, the owner is gone with its objects. */
const OWN_ROWS = new Set(['n', 'r', 't', 'p', 'k', 'g', 'o', 'e']);
const PRESENT_TAGS = CATALOGS.filter((c) => c.present).map((c) => c.entry.charAt(1));
/** Sessions whose database has the snapshot functions (pgPrepareSnapshots). */
const prepared = new WeakSet<Session>();

/**
 * The schema as data. Without pgPrepareSnapshots, every object is listed. After it, the first
 * snapshot of the session lists every object, and a later one asks which catalog rows were written
 * since the session's last snapshot, or since `base` (see SnapshotBase), and which are gone, and lists
 * again only the objects those rows belong to: a file changes a few objects of a schema of thousands.
 * Since a snapshot of the open transaction, the transaction's counters of rows written tell which
 * catalogs to read at all; a schema unchanged since a snapshot is not read. (A row's xmin is the
 * transaction that wrote it; a rollback to a savepoint leaves a restored row's xmax at the
 * subtransaction that had deleted it.)
 *
 * Everything is listed again when a change reaches other objects' keys (a schema, relation or type
 * renamed), when an extension or its members change (which objects count), or when transaction IDs
 * cannot be compared (a quarter of their space used since).
 */
export async function pgSnapshot(session: Session, historySchema: string, base?: SnapshotBase): Promise<Snapshot> {
  if (!prepared.has(session)) return pgSnapshotListingAll(session, historySchema);
  const schema = quoteIdent(historySchema);
  const call = (name: string) => `${schema}.sqlmig_snapshot_${name}`;
  const query = async <T>(calls: string[], params: unknown[]) => {
    if (calls.length === 0) return [];
    // One row, a column per function called.
    const [row] = await session.query(`SELECT ${calls.map((c, k) => `${c} AS v${k}`).join(', ')}`, params);
    return calls.map((_, k) => row[`v${k}`] as T);
  };
  const known = base && seenOf.get(base.of);
  if (known && base.since === 'unchanged') {
    const [now] = await query<{ next: string; counters: number[] }>([`${call('now')}()`], []);
    return remember(session, { ...known, next: now.next, counters: now.counters });
  }
  const within = known && base.since === 'this transaction' ? known : undefined;
  const last = within ?? lastOf.get(session);
  const [changes] = await query<Changes>([`${call('changes')}($1, $2::xid, $3::bigint[])`], [historySchema, last?.next ?? null, within?.counters ?? null]);
  // Transaction IDs are 32 bits that wrap around: far apart, they cannot be compared.
  const from = last && ((Number(changes.next) - Number(last.next)) >>> 0) < 2 ** 30 ? last : undefined;
  const present = new Map<string, Set<string>>();
  for (const tag of PRESENT_TAGS) present.set(tag, new Set(changes.present[tag] ?? from?.present.get(tag)));
  for (const entry of changes.written) present.get(entry.charAt(0))?.add(entry);
  const objects = (from && await listChanged(query, call, historySchema, from, changes, present))
    || objectsOf((await query<Json>([`${call('full')}($1)`], [historySchema]))[0]);
  return remember(session, { objects, present, next: changes.next, counters: changes.counters });
}

/** Every object, in one query: what pgSnapshot must equal. */
export async function pgSnapshotListingAll(session: Session, historySchema: string): Promise<Snapshot> {
  const [{ objects }] = await session.query<{ objects: Json }>(FULL_SQL, [historySchema]);
  return new Map([...objectsOf(objects)].map(([key, d]) => [key, d.fields]));
}

/**
 * Makes the functions of FUNCTIONS in the history schema (which must exist), outside any transaction:
 * for verify's scratch databases, whose later snapshots then read only what changed.
 */
export async function pgPrepareSnapshots(session: Session, historySchema: string): Promise<void> {
  const schema = quoteIdent(historySchema);
  await session.execute(functionsSql(schema, (name) => `${schema}.sqlmig_snapshot_${name}`));
  prepared.add(session);
}

type Query = <T>(calls: string[], params: unknown[]) => Promise<T[]>;
/** See `changes` in FUNCTIONS. */
interface Changes { next: string; counters: number[]; written: string[]; present: Record<string, string[]>; objects: Json[] }

function remember(session: Session, seen: Seen): Snapshot {
  const snapshot = new Map([...seen.objects].map(([key, d]) => [key, d.fields]));
  seenOf.set(snapshot, seen);
  lastOf.set(session, seen);
  return snapshot;
}

/**
 * The objects again, those of changed owners listed anew (those of the rows written came with the
 * changes); undefined when everything must be listed.
 */
async function listChanged(
  query: Query, call: (name: string) => string, historySchema: string, from: Seen, changes: Changes, present: Map<string, Set<string>>,
): Promise<Map<string, Described> | undefined> {
  const listed = new Set(changes.written.map(ownerOf));
  const changed = new Set(listed);
  // Rows that came or went: of deleted owners, or of owners with no row written (a comment dropped, a label added).
  for (const [tag, now] of present) {
    const before = from.present.get(tag) ?? new Set<string>();
    for (const entry of now) if (!before.has(entry)) changed.add(ownerOf(entry));
    for (const entry of before) if (!now.has(entry)) changed.add(ownerOf(entry));
  }
  if (changed.size === 0) return from.objects;
  if ([...changed].some((owner) => owner.startsWith('x'))) return undefined;
  // An owner whose own row is gone is gone, with its objects: nothing to list.
  const oids = new Map<number, string[]>();
  for (const owner of changed) {
    const kind = owner.charAt(0);
    if (listed.has(owner) || (OWN_ROWS.has(kind) && !present.get(kind)!.has(owner))) continue;
    for (const part of PARTS_OF_OWNER[kind] ?? []) oids.set(part, [...oids.get(part) ?? [], owner.slice(1)]);
  }
  const parts = [...oids];
  const lists = [...changes.objects, ...await query<Json>(parts.map(([part], k) => `${call(`list_${part}`)}($1, $${k + 2}::oid[])`),
    [historySchema, ...parts.map(([, list]) => list)])];
  const objects = new Map([...from.objects].filter(([, d]) => !changed.has(d.owner)));
  const named = new Map<string, string>();
  for (const [key, d] of from.objects) if (changed.has(d.owner) && NAMING_PARTS.has(d.part)) named.set(d.owner, key);
  for (const [key, d] of lists.flatMap((list) => [...objectsOf(list)])) {
    // Renamed: other objects' keys name it (a column its table, a function its argument types).
    if (NAMING_PARTS.has(d.part) && named.has(d.owner) && named.get(d.owner) !== key) return undefined;
    objects.set(key, d);
  }
  return objects;
}

/** `d1259.16433.2=r16433` -> `r16433`; `r16433` -> itself. */
function ownerOf(entry: string): string {
  const at = entry.indexOf('=');
  return at < 0 ? entry : entry.slice(at + 1);
}

type Json = string | unknown[] | null;
/** [part, owner, key, position, fields]: see QUERIES. */
type ObjectRow = [number, string, string, number | null, string | Record<string, unknown>];

function objectsOf(json: Json): Map<string, Described> {
  const rows = (typeof json === 'string' ? JSON.parse(json) : json ?? []) as ObjectRow[];
  return new Map(rows.map(([part, owner, key, position, fields]) => {
    const text = textFields(fields);
    return [key, { part, owner, fields: position === null ? text : { position: String(position), ...text } }];
  }));
}

/**
 * The functions of FUNCTIONS, with the catalogs first on their search path (then their own schema,
 * where they call each other), each planned once for the session: the server would plan a query
 * with arguments anew for each call while it guesses a plan for any arguments costs more.
 */
function functionsSql(schema: string, call: (name: string) => string): string {
  return Object.entries(FUNCTIONS).map(([name, { args, body }]) => `CREATE OR REPLACE FUNCTION ${call(name)}(${args}) RETURNS json
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, ${schema} SET plan_cache_mode = force_generic_plan
  AS $sqlmig$ ${body.startsWith('DECLARE') ? body : `BEGIN ${body} END;`} $sqlmig$`).join(';\n');
}

/** JSON's numbers and booleans as the text the server would print (`true`, `2`). */
function textFields(json: string | Record<string, unknown>): SnapshotFields {
  const fields = typeof json === 'string' ? JSON.parse(json) as Record<string, unknown> : json;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}
