// The history tables of the PostgreSQL family (PostgreSQL, PGlite): versioned DDL, reads and writes.
import type { AppliedRecord, EventAction, HistoryRow, HistoryStore, Session } from './driver.js';
import { ConnectionError, IntegrityError } from '../errors.js';
import { pgFailureOf, quoteIdent, quoteLiteral } from './pg-sql.js';

/**
 * The history's own DDL, one entry per version. A release that changes the tables appends an entry;
 * `ensure` applies the missing ones in order, so existing histories upgrade in place.
 */
const HISTORY_DDL: ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.migrations (
      name            text PRIMARY KEY,
      seq             bigint NOT NULL UNIQUE,
      checksum        text NOT NULL,
      requires        text[] NOT NULL DEFAULT '{}',
      revert_sql      text,
      transactional   boolean NOT NULL DEFAULT true,
      status          text NOT NULL CHECK (status IN ('applied', 'failed')),
      failed_statement integer,
      error           text,
      applied_at      timestamptz NOT NULL DEFAULT now(),
      applied_by      text NOT NULL DEFAULT current_user,
      duration_ms     integer NOT NULL,
      sqlmig_version  text NOT NULL
    );
    CREATE TABLE ${s}.events (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name        text NOT NULL,
      action      text NOT NULL CHECK (action IN ('deploy', 'revert', 'fail', 'resolve')),
      at          timestamptz NOT NULL DEFAULT now(),
      by          text NOT NULL DEFAULT current_user,
      checksum    text,
      error       text,
      duration_ms integer
    );
    -- Each history write is one call: the row and its event together, with plans the server keeps
    -- for the session (a statement this size costs more to plan than to run).
    CREATE FUNCTION ${s}.record_migration(p_name text, p_checksum text, p_requires text[], p_revert_sql text,
        p_transactional boolean, p_duration_ms integer, p_sqlmig_version text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $record$
    BEGIN
      INSERT INTO ${s}.migrations
        (name, seq, checksum, requires, revert_sql, transactional, status, duration_ms, sqlmig_version)
      VALUES (p_name, (SELECT coalesce(max(seq), 0) + 1 FROM ${s}.migrations), p_checksum, p_requires, p_revert_sql,
              p_transactional, 'applied', p_duration_ms, p_sqlmig_version)
      -- A row already there is a transaction: off deploy that marked itself running.
      ON CONFLICT (name) DO UPDATE SET
        checksum = EXCLUDED.checksum, requires = EXCLUDED.requires, revert_sql = EXCLUDED.revert_sql,
        transactional = EXCLUDED.transactional, status = 'applied', failed_statement = NULL, error = NULL,
        applied_at = now(), applied_by = current_user, duration_ms = EXCLUDED.duration_ms,
        sqlmig_version = EXCLUDED.sqlmig_version;
      INSERT INTO ${s}.events (name, action, checksum, duration_ms) VALUES (p_name, 'deploy', p_checksum, p_duration_ms);
    END $record$;
    CREATE FUNCTION ${s}.forget_migration(p_name text, p_duration_ms integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $forget$
    BEGIN
      DELETE FROM ${s}.migrations WHERE name = p_name;
      INSERT INTO ${s}.events (name, action, duration_ms) VALUES (p_name, 'revert', p_duration_ms);
    END $forget$;`,
];

/** Milliseconds since the server received the current query: a script's run time so far. */
const SERVER_DURATION_MS = '(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer';

export class PgHistory implements HistoryStore {
  private readonly s: string;

  constructor(private readonly session: Session, private readonly schema: string, private readonly version: string) {
    this.s = quoteIdent(schema);
  }

  async exists(): Promise<boolean> {
    const rows = await this.session.query(
      `SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'history_version'`, [this.schema]);
    if (rows.length === 0) return false;
    await this.checkVersion(await this.currentVersion());
    return true;
  }

  async ensure(): Promise<void> {
    const present = await this.session.query(
      `SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'history_version'`, [this.schema]);
    const current = present.length > 0 ? await this.currentVersion() : 0;
    await this.checkVersion(current);
    if (current === HISTORY_DDL.length) return;
    // One transaction: a role that may not create the tables leaves nothing behind.
    await this.session.execute('BEGIN');
    try {
      if (current === 0) {
        const schemaExists = await this.session.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [this.schema]);
        // CREATE SCHEMA IF NOT EXISTS would still demand CREATE on the database: ask only when needed.
        if (schemaExists.length === 0) await this.session.execute(`CREATE SCHEMA ${this.s}`);
        await this.session.execute(`CREATE TABLE ${this.s}.history_version (version integer NOT NULL)`);
        await this.session.execute(`INSERT INTO ${this.s}.history_version VALUES (0)`);
      }
      for (let v = current; v < HISTORY_DDL.length; v++) await this.session.execute(HISTORY_DDL[v](this.s));
      await this.session.query(`UPDATE ${this.s}.history_version SET version = $1`, [HISTORY_DDL.length]);
      await this.session.execute('COMMIT');
    } catch (error) {
      await this.session.execute('ROLLBACK').catch(() => undefined);
      const failure = pgFailureOf(error);
      if (failure?.sqlstate === '42501') {
        throw new ConnectionError(`may not create the history in schema "${this.schema}": ${failure.message}`, {
          code: 'history-permission', cause: error,
          hint: `nothing was created; let a privileged role run: CREATE SCHEMA IF NOT EXISTS ${this.s}; `
            + `GRANT USAGE, CREATE ON SCHEMA ${this.s} TO <this role> — or choose another --schema`,
        });
      }
      throw error;
    }
  }

  private async currentVersion(): Promise<number> {
    const rows = await this.session.query<{ version: number }>(`SELECT max(version) AS version FROM ${this.s}.history_version`);
    return Number(rows[0]?.version ?? 0);
  }

  private async checkVersion(current: number): Promise<void> {
    if (current > HISTORY_DDL.length) {
      throw new HistoryTooNewError(this.schema, current, HISTORY_DDL.length);
    }
  }

  async read(): Promise<HistoryRow[]> {
    // Arrays as JSON and times as epoch milliseconds: JSON.parse and a number cost far less per row than
    // the client's parsers for text[] and timestamptz, and every run reads every row.
    const rows = await this.session.query<{
      name: string; seq: string; checksum: string; requires: string; revert_sql: string | null; transactional: boolean;
      status: 'applied' | 'failed'; failed_statement: number | null; error: string | null; applied_at_ms: number;
      applied_by: string; duration_ms: number;
    }>(`SELECT name, seq, checksum, array_to_json(requires)::text AS requires, revert_sql, transactional, status,
               failed_statement, error, (extract(epoch FROM applied_at) * 1000)::float8 AS applied_at_ms,
               applied_by, duration_ms
          FROM ${this.s}.migrations ORDER BY seq`);
    return rows.map((r) => ({
      name: r.name, seq: Number(r.seq), checksum: r.checksum, requires: JSON.parse(r.requires) as string[], revertSql: r.revert_sql,
      transactional: r.transactional, status: r.status, failedStatement: r.failed_statement, error: r.error,
      appliedAt: new Date(Number(r.applied_at_ms)), appliedBy: r.applied_by, durationMs: r.duration_ms,
    }));
  }

  /** Writes the row and its event in one call: one round trip per migration, not two. */
  async recordApplied(r: AppliedRecord): Promise<void> {
    // seq is computed inside: the caller holds the migration lock, so no other writer races for it.
    await this.session.query(`SELECT ${this.s}.record_migration($1, $2, $3, $4, $5, $6, $7)`,
      [r.name, r.checksum, r.requires, r.revertSql, r.transactional, Math.round(r.durationMs), this.version]);
  }

  recordAppliedSql(r: Omit<AppliedRecord, 'durationMs'>): string {
    const requires = `ARRAY[${r.requires.map(quoteLiteral).join(', ')}]::text[]`;
    const revert = r.revertSql === null ? 'NULL' : quoteLiteral(r.revertSql);
    return `SELECT ${this.s}.record_migration(${quoteLiteral(r.name)}, ${quoteLiteral(r.checksum)}, ${requires}, ${revert}, `
      + `${r.transactional}, ${SERVER_DURATION_MS}, ${quoteLiteral(this.version)});`;
  }

  recordRevertedSql(name: string): string {
    return `SELECT ${this.s}.forget_migration(${quoteLiteral(name)}, ${SERVER_DURATION_MS});`;
  }

  async markRunning(name: string, action: 'deploy' | 'revert', statement: number, record?: AppliedRecord): Promise<void> {
    const error = `the ${action} stopped during statement ${statement}: the run ended before it finished`;
    if (action === 'deploy' && statement === 1 && record) {
      await this.insertRow(record, { status: 'failed', failedStatement: 1, error });
      return;
    }
    await this.session.query(`UPDATE ${this.s}.migrations SET status = 'failed', failed_statement = $2, error = $3 WHERE name = $1`,
      [name, statement, error]);
  }

  async recordLogOnly(record: Omit<AppliedRecord, 'durationMs'>): Promise<void> {
    await this.insertRow(record, { status: 'applied', failedStatement: null, error: null });
    await this.logEvent(record.name, 'resolve', { checksum: record.checksum, error: 'recorded as applied without running it (up --log-only)' });
  }

  /** A new row at the end of the history (seq is computed inside: the caller holds the migration lock). */
  private async insertRow(
    r: Omit<AppliedRecord, 'durationMs'>, state: { status: 'applied' | 'failed'; failedStatement: number | null; error: string | null },
  ): Promise<void> {
    await this.session.query(
      `INSERT INTO ${this.s}.migrations
         (name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, duration_ms, sqlmig_version)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM ${this.s}.migrations), $2, $3, $4, $5, $6, $7, $8, 0, $9)`,
      [r.name, r.checksum, r.requires, r.revertSql, r.transactional, state.status, state.failedStatement, state.error, this.version]);
  }

  async unmarkRunning(name: string, action: 'deploy' | 'revert'): Promise<void> {
    if (action === 'deploy') await this.remove(name);
    else await this.markApplied(name);
  }

  async markApplied(name: string, r?: Omit<AppliedRecord, 'durationMs'>): Promise<void> {
    const applied = `UPDATE ${this.s}.migrations SET status = 'applied', failed_statement = NULL, error = NULL`;
    if (!r) {
      await this.session.query(`${applied} WHERE name = $1`, [name]);
      return;
    }
    await this.session.query(`${applied}, checksum = $2, requires = $3, revert_sql = $4, transactional = $5, sqlmig_version = $6 WHERE name = $1`,
      [name, r.checksum, r.requires, r.revertSql, r.transactional, this.version]);
  }

  async markFailed(name: string, statement: number, error: string): Promise<void> {
    await this.session.query(`UPDATE ${this.s}.migrations SET status = 'failed', failed_statement = $2, error = $3 WHERE name = $1`,
      [name, statement, error]);
    await this.logEvent(name, 'fail', { error });
  }

  async recordReverted(name: string, durationMs: number): Promise<void> {
    await this.session.query(`SELECT ${this.s}.forget_migration($1, $2)`, [name, Math.round(durationMs)]);
  }

  async remove(name: string): Promise<void> {
    await this.session.query(`DELETE FROM ${this.s}.migrations WHERE name = $1`, [name]);
  }

  async logEvent(name: string, action: EventAction, d: { checksum?: string; error?: string; durationMs?: number } = {}): Promise<void> {
    await this.session.query(
      `INSERT INTO ${this.s}.events (name, action, checksum, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`,
      [name, action, d.checksum ?? null, d.error ?? null, d.durationMs === undefined ? null : Math.round(d.durationMs)],
    );
  }
}

class HistoryTooNewError extends IntegrityError {
  constructor(schema: string, found: number, known: number) {
    super('history-too-new', `the history in schema "${schema}" has version ${found}, newer than this sqlmig knows (${known})`, [], {
      hint: 'a newer sqlmig wrote it: upgrade sqlmig',
    });
  }
}
