// The history tables on MySQL and MariaDB: `<schema>_migrations` and `<schema>_events` in the target database.
import { IntegrityError } from '../errors.js';
import type { HistoryChange, HistoryEvent, HistoryRow, HistoryStore, HistoryWrite, Session } from './driver.js';
import { renameInRequires, rowUpdate } from './json-requires.js';
import { quoteIdent } from './mysql-sql.js';
import { SQLMIG_VERSION } from '../version.js';

/**
 * The history's own DDL, one entry per version, applied in order by `ensure`. DDL commits implicitly
 * here, so each statement is idempotent (IF NOT EXISTS) and the version is written last: a run that
 * dies midway leaves a history the next run finishes. InnoDB whatever the server's default engine: a
 * row must roll back with its migration. Times are UTC (written with UTC_TIMESTAMP).
 */
const HISTORY_DDL: ((t: Tables) => string[])[] = [
  (t) => [
    `CREATE TABLE IF NOT EXISTS ${t.migrations} (
      name             VARCHAR(255) NOT NULL PRIMARY KEY,
      seq              BIGINT NOT NULL UNIQUE,
      checksum         VARCHAR(64) NOT NULL,
      requires         LONGTEXT NOT NULL,
      revert_sql       LONGTEXT,
      transactional    TINYINT(1) NOT NULL DEFAULT 1,
      status           VARCHAR(16) NOT NULL,
      failed_statement INT,
      error            LONGTEXT,
      applied_at       DATETIME(3) NOT NULL,
      applied_by       VARCHAR(255) NOT NULL,
      duration_ms      INT NOT NULL,
      sqlmig_version   VARCHAR(32) NOT NULL
    ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    `CREATE TABLE IF NOT EXISTS ${t.events} (
      id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name        VARCHAR(255) NOT NULL,
      action      VARCHAR(16) NOT NULL,
      at          DATETIME(3) NOT NULL,
      by_user     VARCHAR(255) NOT NULL,
      checksum    VARCHAR(64),
      error       LONGTEXT,
      duration_ms INT
    ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  ],
];

interface Tables {
  migrations: string;
  events: string;
  version: string;
  /** The unquoted name of the version table, for information_schema. */
  versionName: string;
}

/** The history's tables, which dump and verify leave out. */
export function historyTableNames(prefix: string): string[] {
  return [`${prefix}_migrations`, `${prefix}_events`, `${prefix}_history_version`];
}

export class MysqlHistory implements HistoryStore {
  private readonly t: Tables;

  constructor(private readonly session: Session, private readonly prefix: string) {
    this.t = {
      migrations: quoteIdent(`${prefix}_migrations`), events: quoteIdent(`${prefix}_events`),
      version: quoteIdent(`${prefix}_history_version`), versionName: `${prefix}_history_version`,
    };
  }

  async exists(): Promise<boolean> {
    return (await this.foundVersion()) > 0;
  }

  async ensure(): Promise<void> {
    const current = await this.foundVersion();
    if (current === HISTORY_DDL.length) return;
    await this.session.execute(`CREATE TABLE IF NOT EXISTS ${this.t.version} (version INT NOT NULL) ENGINE = InnoDB`);
    for (let v = current; v < HISTORY_DDL.length; v++) {
      for (const statement of HISTORY_DDL[v](this.t)) await this.session.execute(statement);
    }
    await this.session.execute(`DELETE FROM ${this.t.version}`);
    await this.session.query(`INSERT INTO ${this.t.version} (version) VALUES (?)`, [HISTORY_DDL.length]);
  }

  private async foundVersion(): Promise<number> {
    const present = await this.session.query(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [this.t.versionName]);
    if (present.length === 0) return 0;
    const [row] = await this.session.query<{ version: number | null }>(`SELECT MAX(version) AS version FROM ${this.t.version}`);
    const version = Number(row?.version ?? 0);
    if (version > HISTORY_DDL.length) {
      throw new IntegrityError('history-too-new', `the history "${this.prefix}" has version ${version}, newer than this sqlmig knows (${HISTORY_DDL.length})`, [], {
        hint: 'a newer sqlmig wrote it: upgrade sqlmig',
      });
    }
    return version;
  }

  async read(): Promise<HistoryRow[]> {
    const rows = await this.session.query<{
      name: string; seq: number | string; checksum: string; requires: string; revert_sql: string | null; transactional: number;
      status: 'applied' | 'failed'; failed_statement: number | null; error: string | null; applied_at: Date;
      applied_by: string; duration_ms: number;
    }>(`SELECT name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, applied_at, applied_by, duration_ms
          FROM ${this.t.migrations} ORDER BY seq`);
    return rows.map((r) => ({
      name: r.name, seq: Number(r.seq), checksum: r.checksum, requires: JSON.parse(r.requires) as string[], revertSql: r.revert_sql,
      transactional: Boolean(r.transactional), status: r.status, failedStatement: r.failed_statement, error: r.error,
      appliedAt: new Date(r.applied_at), appliedBy: r.applied_by, durationMs: r.duration_ms,
    }));
  }

  async insert(r: HistoryWrite): Promise<void> {
    // INSERT … SELECT: MySQL refuses a subquery on the target table inside VALUES. The caller holds the lock.
    await this.session.query(
      `INSERT INTO ${this.t.migrations}
         (name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, applied_at, applied_by, duration_ms, sqlmig_version)
       SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), CURRENT_USER(), ?, ? FROM ${this.t.migrations}`,
      [r.name, r.checksum, JSON.stringify(r.requires), r.revertSql, r.transactional ? 1 : 0, r.status, r.failedStatement, r.error,
        Math.round(r.durationMs), SQLMIG_VERSION]);
  }

  async update(name: string, change: HistoryChange): Promise<void> {
    const update = rowUpdate(this.t.migrations, name, change, SQLMIG_VERSION, { sql: ['applied_at = UTC_TIMESTAMP(3)', 'applied_by = CURRENT_USER()'], params: [] });
    if (update) await this.session.query(update.sql, update.params);
  }


  async delete(name: string): Promise<void> {
    await this.session.query(`DELETE FROM ${this.t.migrations} WHERE name = ?`, [name]);
  }

  async rename(name: string, newName: string): Promise<void> {
    await this.session.query(`UPDATE ${this.t.migrations} SET name = ? WHERE name = ?`, [newName, name]);
    await renameInRequires(this.session, this.t.migrations, name, newName);
  }

  async appendEvent(e: HistoryEvent): Promise<void> {
    await this.session.query(
      `INSERT INTO ${this.t.events} (name, action, at, by_user, checksum, error, duration_ms) VALUES (?, ?, UTC_TIMESTAMP(3), CURRENT_USER(), ?, ?, ?)`,
      [e.name, e.action, e.checksum ?? null, e.error ?? null, e.durationMs ?? null]);
  }
}
