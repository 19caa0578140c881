// Fresh databases for tests: a new PostgreSQL or MariaDB database, a PGlite loaded from the run's template, a SQLite file or in-memory database.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Driver } from '../../src/index.js';
import { openDriver, pgliteDriver, sqliteDriver } from '../../src/index.js';
import { tempDir } from './tmp.js';

export interface TestDatabase {
  /** A URL the CLI can use (PostgreSQL and SQLite files; in-memory instances live in the test process). */
  url?: string;
  driver(): Promise<Driver>;
  /** One statement in the engine's own SQL, on a connection of the test's own. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The tables of the default schema (public, main), sorted; sqlmig's history tables left out. */
  tables(): Promise<string[]>;
  /** The history's events as `name:action` (with `errors`, `name:action:error` where an event has one), in order. */
  events(schema?: string, options?: { errors?: boolean }): Promise<string[]>;
  /** Something that changes whenever the database is written (to prove that a run wrote nothing). */
  writeMark(): Promise<string>;
  close(): Promise<void>;
}

/** The PostgreSQL family's probes, through one query function. */
function pgProbes(query: TestDatabase['query']): Pick<TestDatabase, 'tables' | 'events' | 'writeMark'> {
  return {
    tables: async () => (await query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.t),
    events: async (schema = 'sqlmig', options = {}) => (await query<{ e: string }>(
      `SELECT name || ':' || action${options.errors ? " || coalesce(':' || error, '')" : ''} AS e
         FROM "${schema.replace(/"/g, '""')}".events ORDER BY id`)).map((r) => r.e),
    // The transaction that last wrote each relation's catalog row (any DDL), and which schemas exist.
    writeMark: async () => JSON.stringify(await query(
      `SELECT relname, xmin::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
       UNION ALL SELECT nspname, xmin::text FROM pg_namespace ORDER BY 1`)),
  };
}

export const postgresUrl = inject('postgresUrl');

/** Runs one statement as the superuser of the test server (for roles, locks held from outside, kills). */
export async function asAdmin<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database?: string): Promise<T[]> {
  const { default: pg } = await import('pg');
  const url = new URL(postgresUrl!);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client(url.toString());
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

let counter = 0;

/** Creates a database on the test server (owned by `owner` and connected as it, if given); `close` drops it. */
export async function freshPostgres(owner?: string): Promise<TestDatabase> {
  const admin = postgresUrl!;
  const { default: pg } = await import('pg');
  const name = `sqlmig_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const adminClient = new pg.Client(admin);
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}${owner ? ` OWNER ${owner}` : ''}`);
  await adminClient.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  if (owner) { url.username = owner; url.password = ''; }
  const client = new pg.Client(url.toString());
  await client.connect();
  const query: TestDatabase['query'] = async (sql, params) => (await client.query(sql, params)).rows;
  return {
    url: url.toString(),
    driver: () => openDriver(url.toString(), { lockWaitMs: 10_000 }),
    query,
    ...pgProbes(query),
    async close() {
      await client.end();
      const c = new pg.Client(admin);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Blob | undefined;

/** A PGlite instance loaded from the template made once per run (about a second, not an initdb). */
export async function freshPglite(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  const db = new PGlite({ loadDataDir: template });
  await db.waitReady;
  const query: TestDatabase['query'] = async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows;
  return {
    driver: async () => pgliteDriver(db),
    query,
    ...pgProbes(query),
    close: () => db.close(),
  };
}

type Sqlite = import('better-sqlite3').Database;

/** SQLite's probes over a connection of the test's own. */
function sqliteProbes(db: Sqlite, writeMark: () => string): Omit<TestDatabase, 'url' | 'driver' | 'close'> {
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const statement = db.prepare(sql);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  };
  return {
    query,
    tables: async () => (await query<{ name: string }>(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'
          AND name NOT LIKE '%!_migrations' ESCAPE '!' AND name NOT LIKE '%!_events' ESCAPE '!'
          AND name NOT LIKE '%!_history!_version' ESCAPE '!'
        ORDER BY name`)).map((r) => r.name),
    events: async (schema = 'sqlmig', options = {}) => (await query<{ e: string }>(
      `SELECT name || ':' || action${options.errors ? " || coalesce(':' || error, '')" : ''} AS e
         FROM "${schema.replace(/"/g, '""')}_events" ORDER BY id`)).map((r) => r.e),
    writeMark: async () => writeMark(),
  };
}

/** A new SQLite file in a fresh folder (`sqlite:<tmp>/test.db`, not created until sqlmig writes it). */
export async function freshSqliteFile(): Promise<TestDatabase> {
  const { default: Database } = await import('better-sqlite3');
  const path = join(tempDir('sqlite-'), 'test.db');
  const url = `sqlite:${path}`;
  let own: Sqlite | undefined;
  // Opening the file would create it, which sqlmig must be the one to do: until it exists, the
  // probes read an empty database. A test's own statement opens (and so creates) it.
  const probes = (create = false) =>
    sqliteProbes(own ?? (create || existsSync(path) ? (own = new Database(path)) : new Database(':memory:')), () => changeCounter(path));
  return {
    url,
    driver: () => openDriver(url, { lockWaitMs: 10_000 }),
    query: (sql, params) => probes(true).query(sql, params),
    tables: () => probes().tables(),
    events: (schema, options) => probes().events(schema, options),
    writeMark: () => probes().writeMark(),
    close: async () => { own?.close(); },
  };
}

/** SQLite's file change counter (header bytes 24–27): every committed write increments it. */
function changeCounter(path: string): string {
  return existsSync(path) ? readFileSync(path).readUInt32BE(24).toString() : 'no file';
}

/** One in-memory SQLite database shared by the test and sqlmig (`sqliteDriver(db)`). */
export async function freshSqliteMemory(): Promise<TestDatabase> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  return {
    driver: async () => sqliteDriver(db),
    // total_changes() counts every row written on the connection, which sqlmig shares.
    ...sqliteProbes(db, () => String((db.prepare('SELECT total_changes() AS n').get() as { n: number }).n)),
    close: async () => { db.close(); },
  };
}

export const mysqlUrl = inject('mysqlUrl');

type MysqlConnection = import('mysql2/promise').Connection;

/** A connection of the test's own to the MariaDB server: to `database`, or to the URL's own. */
export async function mysqlConnection(database?: string): Promise<MysqlConnection> {
  const { default: mysql } = await import('mysql2/promise');
  return mysql.createConnection({ uri: mysqlUrlOf(database), multipleStatements: true });
}

/** The test server's URL (mysql://), naming `database` instead of its own when given. */
export function mysqlUrlOf(database?: string): string {
  const url = new URL(mysqlUrl!.replace(/^mariadb:/i, 'mysql:'));
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

/** MySQL's probes over a connection of the test's own. */
function mysqlProbes(query: TestDatabase['query']): Pick<TestDatabase, 'tables' | 'events' | 'writeMark'> {
  const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;
  const own = `table_name NOT LIKE '%!_migrations' ESCAPE '!' AND table_name NOT LIKE '%!_events' ESCAPE '!'
    AND table_name NOT LIKE '%!_history!_version' ESCAPE '!'`;
  return {
    tables: async () => (await query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND ${own} ORDER BY 1`)).map((r) => r.t),
    events: async (schema = 'sqlmig', options = {}) => (await query<{ e: string }>(
      `SELECT CONCAT(name, ':', action${options.errors ? ", COALESCE(CONCAT(':', error), '')" : ''}) AS e
         FROM ${quote(`${schema}_events`)} ORDER BY id`)).map((r) => r.e),
    // Every object with what a change to it moves (creation times, columns, indexes, the next
    // AUTO_INCREMENT, which even a rolled-back insert takes), and a checksum of every table's rows.
    writeMark: async () => {
      const objects = await query<{ o: string }>(
        `SELECT CONCAT_WS(' ', 'table', table_name, table_type, create_time, update_time, auto_increment) AS o
           FROM information_schema.tables WHERE table_schema = DATABASE()
         UNION ALL SELECT CONCAT_WS(' ', 'column', table_name, column_name, column_type, column_default, is_nullable)
           FROM information_schema.columns WHERE table_schema = DATABASE()
         UNION ALL SELECT CONCAT_WS(' ', 'index', table_name, index_name, column_name) FROM information_schema.statistics WHERE table_schema = DATABASE()
         UNION ALL SELECT CONCAT_WS(' ', 'routine', routine_name, last_altered) FROM information_schema.routines WHERE routine_schema = DATABASE()
         UNION ALL SELECT CONCAT_WS(' ', 'trigger', trigger_name, created) FROM information_schema.triggers WHERE trigger_schema = DATABASE()
         UNION ALL SELECT CONCAT_WS(' ', 'event', event_name, last_altered) FROM information_schema.events WHERE event_schema = DATABASE()
         ORDER BY 1`);
      const tables = (await query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r) => r.t);
      const sums = tables.length === 0 ? [] : await query(`CHECKSUM TABLE ${tables.map(quote).join(', ')}`);
      return JSON.stringify([objects.map((r) => r.o), sums]);
    },
  };
}

/** Creates a database on the MariaDB server, with a connection of the test's own to it; `close` drops it. */
export async function freshMysql(): Promise<TestDatabase> {
  const name = `sqlmig_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = await mysqlConnection();
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = mysqlUrlOf(name);
  const connection = await mysqlConnection(name);
  // MySQL 8 caches information_schema's table statistics (the write mark reads them); MariaDB has no such cache.
  await connection.query('SET SESSION information_schema_stats_expiry = 0').catch(() => undefined);
  const query: TestDatabase['query'] = async <T>(sql: string, params?: unknown[]) => {
    const [rows] = await connection.query(sql, params);
    return (Array.isArray(rows) ? rows : []) as T[];
  };
  return {
    url,
    driver: () => openDriver(url, { lockWaitMs: 10_000 }),
    query,
    ...mysqlProbes(query),
    async close() {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** The schema as the driver's snapshot describes it (what `verify` compares), sqlmig's history left out. */
export async function schemaOf(db: TestDatabase): Promise<Record<string, string>> {
  const driver = await db.driver();
  const session = await driver.connect();
  try {
    return Object.fromEntries(await driver.snapshot(session, 'sqlmig'));
  } finally {
    await session.close();
  }
}
