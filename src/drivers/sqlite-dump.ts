// `sqlmig dump` on SQLite: sqlite_schema's own SQL text, which loads as it is, in a stable order.
import type { SchemaDump } from '../core/dump.js';
import { compareCodePoints } from '../core/strings.js';
import type { Session } from './driver.js';
import { historyTableNames } from './sqlite-history.js';

const KIND_ORDER = ['table', 'view', 'index', 'trigger'];

/**
 * Tables, then views, indexes and triggers, each kind by name: SQLite checks neither a view's query nor
 * a trigger's body when it creates them, so no other order is needed. Left out: SQLite's own objects
 * (`sqlite_%`, also the indexes of PRIMARY KEY and UNIQUE, which have no SQL), the tables a virtual
 * table keeps its data in (it makes them again), and the history tables of `historySchema`.
 */
export async function sqliteDump(session: Session, historySchema: string): Promise<SchemaDump> {
  const history = new Set(historyTableNames(historySchema));
  const shadow = new Set((await session.query<{ name: string }>("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'"))
    .map((r) => r.name));
  const objects = (await session.query<{ type: string; name: string; tbl_name: string; sql: string }>(
    "SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"))
    .filter((o) => !history.has(o.tbl_name) && !shadow.has(o.name));
  objects.sort((a, b) => KIND_ORDER.indexOf(a.type) - KIND_ORDER.indexOf(b.type) || compareCodePoints(a.name, b.name));
  return { sql: objects.map((o) => `${o.sql.trim()};`).join('\n\n'), skipped: [] };
}
