// `-- foreign-keys: off` on SQLite: a table rebuild runs with foreign keys off and is checked before it commits.
import type { Migration } from '../core/migration.js';
import type { StepGuard } from './driver.js';
import type { SqliteSession } from './sqlite-session.js';

/** A row of `PRAGMA foreign_key_check`: a child row whose parent row is missing. */
interface Violation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/** How many violations the error lists; the count says how many there were. */
const LISTED = 10;

/** The check before COMMIT found rows without their parent: the step rolls back, and the error lists them. */
export class ForeignKeyCheckError extends Error {
  readonly code = 'SQLITE_CONSTRAINT_FOREIGNKEY';
  readonly detail: string;
  readonly hint = 'the migration ran with foreign keys off and left child rows whose parent row is gone; '
    + 'keep or recreate those parent rows (or delete the children) in the migration itself';

  /** `listed`: the first violations, described; `total`: how many there were. */
  constructor(listed: readonly string[], total: number) {
    super(`FOREIGN KEY check failed: ${total} row${total === 1 ? '' : 's'} without ${total === 1 ? 'its' : 'their'} parent row`);
    this.name = 'ForeignKeyCheckError';
    const more = total > listed.length ? [`… and ${total - listed.length} more`] : [];
    this.detail = [...listed, ...more].join('; ');
  }
}

/**
 * SQLite's documented procedure for schema changes ALTER TABLE cannot make
 * (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off *outside* the
 * transaction (the pragma is a no-op inside one), the rebuild, `PRAGMA foreign_key_check` before
 * COMMIT, then the setting as it was. Inside a transaction someone else opened (`verify`'s
 * rolled-back round trips), the best SQLite offers: every foreign key deferred to the end of that
 * transaction (`defer_foreign_keys`, which SQLite turns off again at COMMIT or ROLLBACK), and the
 * same check at the end of the step.
 */
export function foreignKeysGuard(session: SqliteSession, migration: Migration): StepGuard | undefined {
  if (migration.foreignKeys) return undefined;
  let restore: string | undefined;
  return {
    async before() {
      if (session.inTransaction) {
        await session.execute('PRAGMA defer_foreign_keys = ON');
        return;
      }
      const [row] = await session.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
      restore = `PRAGMA foreign_keys = ${row?.foreign_keys === 1 ? 'ON' : 'OFF'}`;
      await session.execute('PRAGMA foreign_keys = OFF');
    },
    async beforeCommit() {
      const rows = await session.query<Violation & Record<string, unknown>>('PRAGMA foreign_key_check');
      if (rows.length > 0) throw new ForeignKeyCheckError(await describe(session, rows.slice(0, LISTED)), rows.length);
    },
    async after() {
      if (restore) await session.execute(restore);
    },
  };
}

/** `child rowid 3: parent_id -> parent(id)` per violation, the columns read from the child's foreign key. */
async function describe(session: SqliteSession, rows: readonly Violation[]): Promise<string[]> {
  const keys = new Map<string, string>();
  const out: string[] = [];
  for (const v of rows) {
    const id = `${v.table}\0${v.fkid}`;
    if (!keys.has(id)) {
      const parts = await session.query<{ from: string; to: string | null }>(
        'SELECT "from", "to" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq', [v.table, v.fkid]);
      const to = parts.some((p) => p.to !== null) ? `(${parts.map((p) => p.to).join(', ')})` : '';
      keys.set(id, `${parts.map((p) => p.from).join(', ')} -> ${v.parent}${to}`);
    }
    out.push(`${v.table} ${v.rowid === null ? '(without rowid)' : `rowid ${v.rowid}`}: ${keys.get(id)}`);
  }
  return out;
}
