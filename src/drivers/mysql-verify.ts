// What `sqlmig verify` needs of MySQL and MariaDB: temporary databases, snapshots from information_schema, missing objects.
import { fieldsOf, type Snapshot, type SnapshotFields } from '../core/snapshot.js';
import type { DatabaseFailure, Driver, ScratchDatabases, Session } from './driver.js';
import { quoteIdent } from './mysql-sql.js';
import { serverScratch } from './server-scratch.js';
import { historyTableNames } from './mysql-history.js';

/** `CREATE DATABASE` per scratch, dropped afterwards; each is reached by a URL of its own. */
export function mysqlScratch(admin: Driver, url: string, open: (url: string) => Promise<Driver>): Promise<ScratchDatabases> {
  return serverScratch(admin, {
    createSql: (name) => `CREATE DATABASE ${quoteIdent(name)} CHARACTER SET utf8mb4`,
    dropSql: (name) => `DROP DATABASE IF EXISTS ${quoteIdent(name)}`,
    urlOf: (name) => scratchUrlOf(url, name),
    refusedHint: 'verify --db needs a user allowed to CREATE and DROP databases',
    // Without the PROCESS privilege the process list shows only this user's sessions: the hour of age guards the rest.
    unusedScratchSql: `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA s WHERE SCHEMA_NAME LIKE 'sqlmig\\_verify\\_%'
      AND NOT EXISTS (SELECT 1 FROM information_schema.PROCESSLIST p WHERE p.DB = s.SCHEMA_NAME)`,
  }, open);
}

/** The URL of a scratch database: the server's URL with another database name, its scheme kept. */
function scratchUrlOf(url: string, database: string): string {
  const parsed = new URL(url.replace(/^mariadb:/i, 'mysql:'));
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return `${url.slice(0, url.indexOf(':'))}${parsed.toString().slice('mysql'.length)}`;
}

/**
 * The current database's schema as (key, value) pairs, history tables left out: tables, columns
 * (position, type, nullability, default, extra), indexes, foreign keys, checks, views, routines with
 * their parameters, triggers and events.
 */
export async function mysqlSnapshot(session: Session, historyPrefix: string): Promise<Snapshot> {
  const own = historyTableNames(historyPrefix);
  const snapshot = new Map<string, SnapshotFields>();
  const add = (rows: Record<string, unknown>[]) => {
    for (const r of rows) snapshot.set(String(r.k), fieldsOf(String(r.v ?? '')));
  };
  const notOwn = 'NOT IN (?, ?, ?)';
  add(await session.query(
    `SELECT CONCAT('table ', table_name) AS k, CONCAT_WS(' | ', CONCAT('type=', table_type), CONCAT('engine=', engine), CONCAT('collation=', table_collation)) AS v
       FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name ${notOwn} AND table_type = 'BASE TABLE'`, own));
  add(await session.query(
    `SELECT CONCAT('column ', table_name, '.', column_name) AS k,
            CONCAT_WS(' | ', CONCAT('position=', ordinal_position), CONCAT('type=', column_type), CONCAT('nullable=', is_nullable),
                      CONCAT('default=', COALESCE(column_default, 'none')), CONCAT('extra=', extra), CONCAT('collation=', COALESCE(collation_name, ''))) AS v
       FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name ${notOwn}`, own));
  add(await session.query(
    `SELECT CONCAT('index ', table_name, '.', index_name) AS k,
            CONCAT_WS(' | ', CONCAT('unique=', MIN(non_unique) = 0), CONCAT('type=', MIN(index_type)),
                      CONCAT('columns=', GROUP_CONCAT(COALESCE(column_name, '(expression)') ORDER BY seq_in_index SEPARATOR ','))) AS v
       FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name ${notOwn} GROUP BY table_name, index_name`, own));
  add(await session.query(
    `SELECT CONCAT('foreign key ', k.table_name, '.', k.constraint_name) AS k,
            CONCAT_WS(' | ', CONCAT('columns=', GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position)),
                      CONCAT('references=', MIN(k.referenced_table_name), '(', GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position), ')'),
                      CONCAT('on delete=', MIN(r.delete_rule)), CONCAT('on update=', MIN(r.update_rule))) AS v
       FROM information_schema.key_column_usage k
       JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
      WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
      GROUP BY k.table_name, k.constraint_name`));
  add(await session.query(
    `SELECT CONCAT('check ', table_name, '.', constraint_name) AS k, check_clause AS v
       FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()`).catch(() => []));
  add(await session.query(
    // The definition names the view's own database before other views: left out, so that the same schema in another database reads the same.
    `SELECT CONCAT('view ', table_name) AS k, REPLACE(view_definition, CONCAT('\`', DATABASE(), '\`.'), '') AS v
       FROM information_schema.views WHERE table_schema = DATABASE()`));
  add(await session.query(
    `SELECT CONCAT(LOWER(r.routine_type), ' ', r.routine_name) AS k,
            CONCAT_WS(' | ',
              CONCAT('parameters=', COALESCE((
                SELECT GROUP_CONCAT(CONCAT_WS(' ', p.parameter_mode, p.parameter_name, p.dtd_identifier) ORDER BY p.ordinal_position SEPARATOR ', ')
                  FROM information_schema.parameters p
                 WHERE p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name AND p.ordinal_position > 0), '')),
              CONCAT('returns=', COALESCE(r.dtd_identifier, '')), CONCAT('body=', r.routine_definition)) AS v
       FROM information_schema.routines r WHERE r.routine_schema = DATABASE()`));
  add(await session.query(
    `SELECT CONCAT('trigger ', trigger_name) AS k,
            CONCAT_WS(' | ', CONCAT('on=', event_object_table), CONCAT('when=', action_timing, ' ', event_manipulation), CONCAT('body=', action_statement)) AS v
       FROM information_schema.triggers WHERE trigger_schema = DATABASE()`));
  add(await session.query(
    `SELECT CONCAT('event ', event_name) AS k, CONCAT_WS(' | ', CONCAT('status=', status), CONCAT('body=', event_definition)) AS v
       FROM information_schema.events WHERE event_schema = DATABASE()`));
  return snapshot;
}

/** ER_NO_SUCH_TABLE, ER_BAD_FIELD_ERROR, ER_SP_DOES_NOT_EXIST: the object's name from the message. */
export function mysqlMissingObjectOf({ message }: DatabaseFailure): string | undefined {
  const table = /^Table '(?:[^'.]+\.)?([^']+)' doesn't exist/.exec(message);
  if (table) return table[1];
  const column = /^Unknown column '([^']+)'/.exec(message);
  if (column) return column[1].split('.').at(-1);
  const routine = /^(?:FUNCTION|PROCEDURE) (?:[^ .]+\.)?(\S+) does not exist/.exec(message);
  return routine?.[1];
}
