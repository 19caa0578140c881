// History rows whose `requires` is JSON text (SQLite, MySQL): renaming a migration inside them.
import type { Session } from './driver.js';

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
