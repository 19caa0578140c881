// History rows with `?` placeholders and `requires` as JSON text (SQLite, MySQL): row changes, renames.
import type { HistoryChange, Session } from './driver.js';

/**
 * After a row is renamed, every other row that requires the old name requires the new one, in the
 * same place of its list. Done in JavaScript: JSON functions differ between the engines, and a
 * rename touches a handful of rows.
 */
export async function renameInRequires(session: Pick<Session, 'query'>, table: string, name: string, newName: string): Promise<void> {
  const rows = await session.query<{ name: string; requires: string }>(`SELECT name, requires FROM ${table}`);
  for (const row of rows) {
    const requires = JSON.parse(row.requires) as string[];
    if (!requires.includes(name)) continue;
    const renamed = requires.map((r) => (r === name ? newName : r));
    await session.query(`UPDATE ${table} SET requires = ? WHERE name = ?`, [JSON.stringify(renamed), row.name]);
  }
}

/**
 * The UPDATE of a row's change, `?` placeholders, name last; undefined when nothing changes.
 * `appliedNow` is the engine's own "now, by whom" (an SQL expression, or values it binds).
 */
export function rowUpdate(
  table: string, name: string, change: HistoryChange, version: string, appliedNow: { sql: string[]; params: unknown[] },
): { sql: string; params: unknown[] } | undefined {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => { sets.push(`${column} = ?`); params.push(value); };
  if (change.checksum !== undefined) { set('checksum', change.checksum); set('sqlmig_version', version); }
  if (change.requires !== undefined) set('requires', JSON.stringify(change.requires));
  if (change.revertSql !== undefined) set('revert_sql', change.revertSql);
  if (change.transactional !== undefined) set('transactional', change.transactional ? 1 : 0);
  if (change.status !== undefined) set('status', change.status);
  if (change.failedStatement !== undefined) set('failed_statement', change.failedStatement);
  if (change.error !== undefined) set('error', change.error);
  if (change.durationMs !== undefined) set('duration_ms', Math.round(change.durationMs));
  if (change.appliedNow) { sets.push(...appliedNow.sql); params.push(...appliedNow.params); }
  if (sets.length === 0) return undefined;
  return { sql: `UPDATE ${table} SET ${sets.join(', ')} WHERE name = ?`, params: [...params, name] };
}
