// The embedded PostgreSQL driver (PGlite, WASM): `pglite:PATH` or `pglite:memory`, no server needed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import { embeddedTemplate } from '../embedded-template.js';
import { SQLMIG_VERSION } from '../version.js';
import type { DatabaseNotice, Driver, Row, Session } from './driver.js';
import { acquireFileLock } from './file-lock.js';
import type { OpenDriverOptions } from './index.js';
import { pgDump } from './pg-dump.js';
import { PgHistory } from './pg-history.js';
import { pgPrepareSnapshots, pgSnapshot } from './pg-snapshot.js';
import { AdvisoryLock, beginSql, ensurePgSchema, pgFailureOf, RESET_SESSION_SQL, sessionSettingsSql } from './pg-sql.js';
import { loadPgliteExtensions, pgliteHasExtension } from './pglite-extensions.js';
import { pgliteScratch, pgMissingObjectOf } from './pg-verify.js';

export async function createPgliteDriver(url: string, options: OpenDriverOptions): Promise<Driver> {
  const target = url.slice('pglite:'.length);
  const memory = target === 'memory' || target === '';
  const dataDir = memory ? undefined : resolve(target);
  const driver = pgliteFamilyDriver(memory ? 'pglite:memory' : `pglite:${target}`, async () => {
    // PGlite does not lock its data directory; two writers would corrupt it. sqlmig does.
    const release = dataDir
      ? await acquireFileLock(`${dataDir}.lock`, options.lockWaitMs, `the embedded database ${target}`)
      : () => undefined;
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      // A new database starts from the build's empty template when there is one (initdb otherwise).
      const template = dataDir && holdsDatabase(dataDir) ? undefined : embeddedTemplate();
      const extensions = await loadPgliteExtensions(options.extensions ?? []);
      // One options object: PGlite ignores options given after an undefined data directory.
      const db = new PGlite({ ...(dataDir && { dataDir }), ...(template && { loadDataDir: template }), extensions });
      await db.waitReady;
      return new PgliteSession(db, async () => {
        try { await db.close(); } finally { release(); }
      });
    } catch (error) {
      release();
      throw error;
    }
  }, options.extensions);
  // connect() creates a missing folder (and memory is always new): say so without creating anything.
  return { ...driver, exists: async () => dataDir !== undefined && holdsDatabase(dataDir) };
}

/** A data folder that initdb (or the template) has filled, rather than a missing or empty one. */
function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * A driver over a PGlite instance the caller owns (in-process tests, apps embedding PGlite):
 * sqlmig runs on it and leaves it open.
 *
 * ```ts
 * const db = new PGlite();
 * await new Migrator({ dir: 'migrations', driver: pgliteDriver(db) }).up();
 * ```
 */
export function pgliteDriver(db: PGlite): Driver {
  return pgliteFamilyDriver('pglite:(instance)', async () => {
    await db.waitReady;
    return new PgliteSession(db, async () => undefined);
  });
}

function pgliteFamilyDriver(display: string, connect: () => Promise<Session>, extensions: readonly string[] = []): Driver {
  return {
    dialect: 'postgres',
    // In-process WASM: a running statement cannot be interrupted; the run stops after it.
    capabilities: { transactionalDdl: true, cancel: false },
    display,
    connect,
    history: (session, schema) => new PgHistory(session, schema, SQLMIG_VERSION),
    lock: (session, schema) => new AdvisoryLock(session, schema),
    beginSql: (settings) => beginSql(settings),
    sessionSettingsSql: (settings) => sessionSettingsSql(settings),
    resetSql: () => RESET_SESSION_SQL,
    failureOf: pgFailureOf,
    // Verify's scratch databases are in-memory PGlite instances, whatever this one is.
    scratchDatabases: async (several) => pgliteScratch(several, pgliteDriver, await loadPgliteExtensions(extensions)),
    supportsExtension: pgliteHasExtension,
    snapshot: pgSnapshot,
    prepareSnapshots: pgPrepareSnapshots,
    dump: pgDump,
    missingObjectOf: pgMissingObjectOf,
    ensureSchema: ensurePgSchema,
  };
}

class PgliteSession implements Session {
  private options?: QueryOptions;

  constructor(private readonly db: PGlite, private readonly onClose: () => Promise<void>) {}

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params as unknown[], this.options)).rows;
  }

  async execute(sql: string): Promise<void> {
    await this.db.exec(sql, this.options);
  }

  setNoticeListener(listener: ((notice: DatabaseNotice) => void) | undefined): void {
    // PGlite takes a notice callback per call, not per session.
    this.options = listener && {
      onNotice: (n) => listener({ severity: n.severity ?? 'NOTICE', message: n.message ?? '', detail: n.detail, hint: n.hint }),
    };
  }

  async cancel(): Promise<void> {
    // In-process WASM on the main thread: a statement cannot be interrupted; the run stops before the next one.
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
