// Fresh databases for tests: a new PostgreSQL database, or a PGlite loaded from the run's template.
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { Driver } from '../../src/index.js';
import { openDriver, pgliteDriver } from '../../src/index.js';

export interface TestDatabase {
  /** A URL the CLI can use (PostgreSQL only; PGlite instances live in the test process). */
  url?: string;
  driver(): Promise<Driver>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
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
  return {
    url: url.toString(),
    driver: () => openDriver(url.toString(), { lockWaitMs: 10_000 }),
    query: async (sql, params) => (await client.query(sql, params)).rows,
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
  return {
    driver: async () => pgliteDriver(db),
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}
