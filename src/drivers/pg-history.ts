// The history tables of the PostgreSQL family (PostgreSQL, PGlite): versioned DDL, reads and writes.
import type { AppliedRecord, HistoryChange, HistoryEvent, HistoryRow, HistoryStore, HistoryWrite, Session } from './driver.js';
import { ConnectionError, IntegrityError } from '../errors.js';
import { pgFailureOf, quoteIdent, quoteLiteral } from './pg-sql.js';
import { withTransaction } from './transaction.js';

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
    -- A migration's script ends with one call that writes the row and its event together, with plans
    -- the server keeps for the session (a statement this size costs more to plan than to run).
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
    return (await this.foundVersion()) > 0;
  }

  async ensure(): Promise<void> {
    const current = await this.foundVersion();
    if (current === HISTORY_DDL.length) return;
    // One transaction: a role that may not create the tables leaves nothing behind.
    try {
      await withTransaction(this.session, async () => {
        if (current === 0) {
          const schemaExists = await this.session.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [this.schema]);
          // CREATE SCHEMA IF NOT EXISTS would still demand CREATE on the database: ask only when needed.
          if (schemaExists.length === 0) await this.session.execute(`CREATE SCHEMA ${this.s}`);
          await this.session.execute(`CREATE TABLE ${this.s}.history_version (version integer NOT NULL)`);
          await this.session.execute(`INSERT INTO ${this.s}.history_version VALUES (0)`);
        }
        for (let v = current; v < HISTORY_DDL.length; v++) await this.session.execute(HISTORY_DDL[v](this.s));
        await this.session.query(`UPDATE ${this.s}.history_version SET version = $1`, [HISTORY_DDL.length]);
      });
    } catch (error) {
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

  /** The history's version: 0 when there is none; one this sqlmig does not know is an error. */
  private async foundVersion(): Promise<number> {
    const present = await this.session.query(
      `SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'history_version'`, [this.schema]);
    if (present.length === 0) return 0;
    const rows = await this.session.query<{ version: number }>(`SELECT max(version) AS version FROM ${this.s}.history_version`);
    const version = Number(rows[0]?.version ?? 0);
    if (version > HISTORY_DDL.length) throw new HistoryTooNewError(this.schema, version, HISTORY_DDL.length);
    return version;
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

  /** The script form: src/history.ts's `applied` and `reverted`, each as one call of the functions above. */
  readonly scriptWrites = {
    applied: (r: Omit<AppliedRecord, 'durationMs'>): string => {
      const requires = `ARRAY[${r.requires.map(quoteLiteral).join(', ')}]::text[]`;
      const revert = r.revertSql === null ? 'NULL' : quoteLiteral(r.revertSql);
      return `SELECT ${this.s}.record_migration(${quoteLiteral(r.name)}, ${quoteLiteral(r.checksum)}, ${requires}, ${revert}, `
        + `${r.transactional}, ${SERVER_DURATION_MS}, ${quoteLiteral(this.version)});`;
    },
    reverted: (name: string): string => `SELECT ${this.s}.forget_migration(${quoteLiteral(name)}, ${SERVER_DURATION_MS});`,
  };

  async insert(r: HistoryWrite): Promise<void> {
    await this.session.query(
      `INSERT INTO ${this.s}.migrations
         (name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, duration_ms, sqlmig_version)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM ${this.s}.migrations), $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.name, r.checksum, r.requires, r.revertSql, r.transactional, r.status, r.failedStatement, r.error, r.durationMs, this.version]);
  }

  async update(name: string, change: HistoryChange): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [name];
    const set = (column: string, value: unknown) => { params.push(value); sets.push(`${column} = $${params.length}`); };
    if (change.checksum !== undefined) set('checksum', change.checksum);
    if (change.requires !== undefined) set('requires', change.requires);
    if (change.revertSql !== undefined) set('revert_sql', change.revertSql);
    if (change.transactional !== undefined) set('transactional', change.transactional);
    if (change.status !== undefined) set('status', change.status);
    if (change.failedStatement !== undefined) set('failed_statement', change.failedStatement);
    if (change.error !== undefined) set('error', change.error);
    if (change.durationMs !== undefined) set('duration_ms', change.durationMs);
    if (change.checksum !== undefined) set('sqlmig_version', this.version);
    if (change.appliedNow) sets.push('applied_at = now()', 'applied_by = current_user');
    if (sets.length === 0) return;
    await this.session.query(`UPDATE ${this.s}.migrations SET ${sets.join(', ')} WHERE name = $1`, params);
  }

  async delete(name: string): Promise<void> {
    await this.session.query(`DELETE FROM ${this.s}.migrations WHERE name = $1`, [name]);
  }

  async rename(name: string, newName: string): Promise<void> {
    await this.session.query(`UPDATE ${this.s}.migrations SET name = $2 WHERE name = $1`, [name, newName]);
    await this.session.query(
      `UPDATE ${this.s}.migrations SET requires = array_replace(requires, $1, $2) WHERE $1 = ANY (requires)`, [name, newName]);
  }

  async appendEvent(e: HistoryEvent): Promise<void> {
    await this.session.query(
      `INSERT INTO ${this.s}.events (name, action, checksum, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`,
      [e.name, e.action, e.checksum ?? null, e.error ?? null, e.durationMs ?? null],
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
