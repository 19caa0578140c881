// Scratch databases for verify: in-memory PGlite by default, or temporary databases on a server.
import type { PGlite } from '@electric-sql/pglite';
import type { Driver, Session } from '../drivers/driver.js';
import { openDriver } from '../drivers/index.js';
import { pgliteDriver } from '../drivers/pglite.js';
import { quoteIdent } from '../drivers/pg-sql.js';
import { schemeOf } from '../drivers/url.js';
import { embeddedTemplate } from '../embedded-template.js';
import { ConnectionError } from '../errors.js';

export interface Scratch {
  driver: Driver;
  session: Session;
  dispose(): Promise<void>;
}

export interface ScratchFactory {
  /** Where scratch databases live, for messages. */
  readonly display: string;
  create(): Promise<Scratch>;
  close(): Promise<void>;
}

/**
 * With a postgres:// URL, temporary databases on that server; otherwise in-memory PGlite instances.
 * `several`: more than one scratch database will be made (worth keeping a template of the first).
 */
export async function scratchFactory(url: string | undefined, several: boolean): Promise<ScratchFactory> {
  const scheme = url ? schemeOf(url) : undefined;
  return scheme === 'postgres' || scheme === 'postgresql' ? serverScratch(url!) : pgliteScratch(several);
}

/**
 * Each scratch PGlite loads an empty database — the build's template, else a dump of the first one,
 * which alone runs initdb (seconds) — in about a second, so --isolation can afford a fresh database
 * where it needs one.
 */
function pgliteScratch(several: boolean): ScratchFactory {
  let template: Blob | undefined = embeddedTemplate();
  return {
    display: 'an in-memory PGlite',
    async create() {
      const { PGlite } = await import('@electric-sql/pglite');
      const db: PGlite = template ? new PGlite({ loadDataDir: template }) : new PGlite();
      await db.waitReady;
      if (several) template ??= await db.dumpDataDir('none');
      const driver = pgliteDriver(db);
      return { driver, session: await driver.connect(), dispose: () => db.close() };
    },
    async close() {},
  };
}

/** `CREATE DATABASE … TEMPLATE template0` per scratch, dropped afterwards (FORCE ends stray sessions). */
async function serverScratch(url: string): Promise<ScratchFactory> {
  const admin = await openDriver(url, { lockWaitMs: 0 });
  const adminSession = await admin.connect();
  let counter = 0;
  return {
    display: `temporary databases on ${admin.display}`,
    async create() {
      const name = `sqlmig_verify_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      try {
        await adminSession.execute(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
      } catch (error) {
        const failure = admin.failureOf(error);
        if (!failure) throw error;
        throw new ConnectionError(`verify cannot create a scratch database on ${admin.display}: ${failure.message}`, {
          code: 'scratch-database', cause: error,
          hint: 'verify --db needs a role allowed to create databases (CREATEDB); or drop --db to verify on an in-memory PGlite',
        });
      }
      const target = new URL(url);
      target.pathname = `/${name}`;
      const driver = await openDriver(target.toString(), { lockWaitMs: 0 });
      const session = await driver.connect();
      return {
        driver, session,
        async dispose() {
          await session.close();
          await adminSession.execute(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        },
      };
    },
    close: () => adminSession.close(),
  };
}
