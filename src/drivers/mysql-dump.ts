// `sqlmig dump` on MySQL and MariaDB: each object's SHOW CREATE text from the current database, made
// stable and loadable by core/mysql-dump.ts.
import type { SchemaDump } from '../core/dump.js';
import { mysqlDumpSql, type MysqlObject } from '../core/mysql-dump.js';
import type { Session } from './driver.js';
import { historyTableNames } from './mysql-history.js';
import { quoteIdent } from './mysql-sql.js';

type Row = Record<string, unknown>;

/**
 * Tables, functions, procedures, views, triggers and events of the current database, sqlmig's history
 * tables left out. Not written yet, and named in `skipped`: MariaDB's sequences (a column default
 * that calls one names the database it is in, so it would not load elsewhere as it is).
 */
export async function mysqlDump(session: Session, historyPrefix: string): Promise<SchemaDump> {
  const own = new Set(historyTableNames(historyPrefix));
  const objects: MysqlObject[] = [];
  const skipped: string[] = [];
  const relations = await session.query<{ name: string; type: string }>(
    'SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = DATABASE()');
  for (const { name, type } of relations) {
    if (own.has(name)) continue;
    if (type === 'SEQUENCE') skipped.push(`sequence ${name}`);
    else if (type === 'VIEW') objects.push({ kind: 'view', name, sql: await showCreate(session, 'VIEW', name, 'Create View') });
    else objects.push({ kind: 'table', name, sql: await showCreate(session, 'TABLE', name, 'Create Table') });
  }
  const routines = await session.query<{ name: string; type: string }>(
    `SELECT routine_name AS name, routine_type AS type FROM information_schema.routines
      WHERE routine_schema = DATABASE() AND routine_type IN ('FUNCTION', 'PROCEDURE')`);
  for (const { name, type } of routines) {
    const kind = type === 'FUNCTION' ? 'function' : 'procedure';
    objects.push({ kind, name, sql: await showCreate(session, type, name, kind === 'function' ? 'Create Function' : 'Create Procedure') });
  }
  // In the order they fire, so that each is created after the ones before it (ACTION_ORDER).
  const triggers = await session.query<{ name: string }>(
    `SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = DATABASE()
      ORDER BY event_object_table, action_timing, event_manipulation, action_order`);
  for (const { name } of triggers) {
    objects.push({ kind: 'trigger', name, sql: await showCreate(session, 'TRIGGER', name, 'SQL Original Statement') });
  }
  const events = await session.query<{ name: string }>('SELECT event_name AS name FROM information_schema.events WHERE event_schema = DATABASE()');
  for (const { name } of events) objects.push({ kind: 'event', name, sql: await showCreate(session, 'EVENT', name, 'Create Event') });
  return { sql: mysqlDumpSql(objects), skipped: skipped.sort() };
}

async function showCreate(session: Session, kind: string, name: string, column: string): Promise<string> {
  const [row] = await session.query<Row>(`SHOW CREATE ${kind} ${quoteIdent(name)}`);
  return String(row[column]);
}
