// A SQLite schema as a snapshot for `verify`: sqlite_schema and the table pragmas, as comparable key -> description pairs.
import { SQLITE } from '../core/dialect.js';
import { isSignificant } from '../core/lexer.js';
import type { Snapshot, SnapshotFields } from '../core/snapshot.js';
import type { Session } from './driver.js';
import { historyTableNames } from './sqlite-history.js';

interface SchemaObject {
  type: 'table' | 'index' | 'view' | 'trigger';
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * Keys as `table main.t`, `column main.t.a`, `index main.i`, `foreign key main.t(a)->p(id)`,
 * `trigger main.tr`, `view main.v`; values as fields (`definition`, `position`, `type`, …). SQLite's own objects (`sqlite_%`:
 * sqlite_sequence, sqlite_stat1) and the history tables of `historySchema` are left out.
 */
export async function readSqliteSnapshot(session: Session, historySchema: string): Promise<Snapshot> {
  const history = new Set(historyTableNames(historySchema));
  const objects = (await session.query<SchemaObject & Record<string, unknown>>(
    `SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY type, name`))
    .filter((o) => !history.has(o.tbl_name));
  const snapshot = new Map<string, SnapshotFields>();
  // Each field as `name=value`, split at its first `=`.
  const put = (key: string, fields: (string | undefined)[]) => snapshot.set(key, Object.fromEntries(
    fields.filter((f) => f !== undefined).map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)])));
  for (const o of objects) {
    if (o.type === 'table') {
      put(`table main.${o.name}`, [`definition=${normaliseSql(o.sql ?? '', true)}`]);
      await describeTable(session, o.name, put);
    } else if (o.type === 'view') {
      put(`view main.${o.name}`, [`definition=${normaliseSql(o.sql ?? '')}`]);
    } else if (o.type === 'trigger') {
      put(`trigger main.${o.name}`, [`table=${o.tbl_name}`, `definition=${normaliseSql(o.sql ?? '')}`]);
    }
  }
  // Every index, those made by PRIMARY KEY and UNIQUE (no SQL text) included, through its table.
  for (const o of objects.filter((x) => x.type === 'table')) {
    const indexes = await session.query<{ name: string; unique: number; origin: string; partial: number }>(
      'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name', [o.name]);
    for (const i of indexes) {
      const columns = await session.query<{ name: string | null; desc: number; coll: string }>(
        'SELECT name, "desc", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [i.name]);
      const sql = objects.find((x) => x.type === 'index' && x.name === i.name)?.sql;
      put(`index main.${i.name}`, [
        `table=${o.name}`, `unique=${i.unique === 1}`, `origin=${i.origin}`, `partial=${i.partial === 1}`,
        `columns=${columns.map(indexColumn).join(', ')}`,
        sql ? `definition=${normaliseSql(sql)}` : undefined,
      ]);
    }
  }
  return snapshot;
}

type Put = (key: string, fields: (string | undefined)[]) => void;

/** `a`, `b desc`, `c collate nocase`, `<expression>`. */
function indexColumn(c: { name: string | null; desc: number; coll: string }): string {
  return `${c.name ?? '<expression>'}${c.desc ? ' desc' : ''}${c.coll === 'BINARY' ? '' : ` collate ${c.coll}`}`;
}

interface ColumnInfo { cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface ForeignKeyPart {
  id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string; match: string;
}

async function describeTable(session: Session, table: string, put: Put): Promise<void> {
  const columns = await session.query<ColumnInfo & Record<string, unknown>>(
    'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid', [table]);
  for (const [index, c] of columns.entries()) {
    put(`column main.${table}.${c.name}`, [
      `position=${index + 1}`, `type=${c.type}`, `not_null=${c.notnull === 1}`,
      c.dflt_value === null ? undefined : `default=${c.dflt_value}`,
      c.pk > 0 ? `primary_key=${c.pk}` : undefined,
      // 2: a virtual generated column, 3: a stored one (1 is a virtual table's hidden column).
      c.hidden === 2 ? 'generated=virtual' : c.hidden === 3 ? 'generated=stored' : c.hidden === 1 ? 'hidden=true' : undefined,
    ]);
  }
  const keys = await session.query<ForeignKeyPart & Record<string, unknown>>(
    'SELECT id, seq, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]);
  const byId = new Map<number, typeof keys>();
  for (const k of keys) byId.set(k.id, [...(byId.get(k.id) ?? []), k]);
  // Keyed by what they connect, not by their id, which a rebuild may renumber.
  for (const parts of byId.values()) {
    const [k] = parts;
    const to = parts.every((p) => p.to === null) ? '' : `(${parts.map((p) => p.to).join(', ')})`;
    put(`foreign key main.${table}(${parts.map((p) => p.from).join(', ')})->${k.table}${to}`, [
      `on_update=${k.on_update}`, `on_delete=${k.on_delete}`, `match=${k.match}`,
    ]);
  }
}

/**
 * SQL as SQLite keeps it (the text as written) reduced to its tokens: whitespace and comments left
 * out, keywords and names lower-case. For a table, without its name: `ALTER TABLE … RENAME` rewrites
 * the name as `"t"`, so a rebuilt table would otherwise differ from the original in quotes alone.
 */
export function normaliseSql(sql: string, dropTableName = false): string {
  const tokens = SQLITE.tokenize(sql).tokens.filter(isSignificant);
  const parts = tokens.map((t) => (t.kind === 'word' ? sql.slice(t.start, t.end).toLowerCase() : sql.slice(t.start, t.end)));
  if (dropTableName) {
    let i = 1;
    if (parts[i] === 'temp' || parts[i] === 'temporary') i++;
    if (parts[i] === 'table') i++;
    if (parts[i] === 'if' && parts[i + 1] === 'not' && parts[i + 2] === 'exists') i += 3;
    const name = i;
    if (parts[name + 1] === '.') i += 3;
    else i += 1;
    return ['create table', ...parts.slice(i)].join(' ');
  }
  return parts.join(' ');
}
