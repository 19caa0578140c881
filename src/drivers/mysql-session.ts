// One MySQL/MariaDB session on one mysql2 connection: queries, KILL QUERY to cancel, and the session state to restore.
import type { Connection, ExecuteValues } from 'mysql2/promise';
import type { DatabaseNotice, Row, Session } from './driver.js';
import { quoteString } from './mysql-sql.js';

/**
 * Session variables a migration may change (`SET foreign_key_checks = 0`, `SET sql_mode = …`, `SET
 * autocommit = 0` in a `transaction: off` file) that would otherwise leak into the next migration and
 * into sqlmig's own history writes. Both spellings of the transaction variables: each server has one.
 */
const RESTORED = [
  'autocommit', 'sql_mode', 'time_zone', 'foreign_key_checks', 'unique_checks', 'check_constraint_checks',
  'character_set_client', 'character_set_connection', 'character_set_results', 'collation_connection',
  'transaction_isolation', 'tx_isolation', 'transaction_read_only', 'tx_read_only',
  'sql_safe_updates', 'sql_select_limit', 'max_join_size', 'sql_big_selects', 'sql_auto_is_null', 'group_concat_max_len',
  'div_precision_increment', 'auto_increment_increment', 'auto_increment_offset', 'lc_time_names', 'innodb_strict_mode',
];

/**
 * `name = value, …` restoring the variables of RESTORED as they are now, for `SET SESSION`. Only the
 * variables this server has; MariaDB 11.1+ has both transaction_isolation and tx_isolation, and the
 * old name is left out there.
 */
export async function sessionAssignments(connection: Connection): Promise<string> {
  const [rows] = await connection.query(
    `SHOW SESSION VARIABLES WHERE Variable_name IN (${RESTORED.map((v) => quoteString(v)).join(', ')})`);
  const values = new Map((rows as { Variable_name: string; Value: string | null }[]).map((r) => [r.Variable_name.toLowerCase(), r.Value]));
  if (values.has('transaction_isolation')) values.delete('tx_isolation');
  if (values.has('transaction_read_only')) values.delete('tx_read_only');
  const assignments: string[] = [];
  for (const name of RESTORED) {
    const value = values.get(name);
    // A character set variable may be NULL (shown empty); sql_mode may be empty on purpose. No value holds a backslash.
    if (value === undefined || value === null || (value === '' && name !== 'sql_mode') || value.includes('\\')) continue;
    assignments.push(`${name} = ${/^\d+$/.test(value) ? value : quoteString(value)}`);
  }
  return assignments.join(', ');
}

export class MysqlSession implements Session {
  constructor(private readonly connection: Connection, private readonly openOther: () => Promise<Connection>) {
    // A server that goes away emits 'error'; the running query fails with it too.
    connection.on('error', () => undefined);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    // With parameters, a server-side prepared statement: names and SQL text travel as bind parameters.
    // Without, the text goes as is (mysql2 formats `?` only when given values).
    const [rows] = params.length > 0 ? await this.connection.execute(sql, params as ExecuteValues[]) : await this.connection.query(sql);
    return rows as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.connection.query(sql);
  }

  setNoticeListener(_listener: ((notice: DatabaseNotice) => void) | undefined): void {
    // MySQL sends warnings only as a count; SHOW WARNINGS would cost a round trip per statement.
  }

  async cancel(): Promise<void> {
    // KILL QUERY must come from another connection; it ends the running statement, not the session (nor its named lock).
    const other = await this.openOther();
    try {
      await other.query(`KILL QUERY ${Number(this.connection.threadId)}`);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}
