// Scratch databases for `verify` on a server: one `CREATE DATABASE` each, dropped afterwards — or named when that fails.
import { ConnectionError } from '../errors.js';
import type { Driver, ScratchDatabases } from './driver.js';

/** What differs between servers: the DDL, how to reach a database by name, and what a refusal needs. */
export interface ServerScratchSql {
  createSql(name: string): string;
  dropSql(name: string): string;
  /** The URL of the database `name` on the same server, with the same credentials. */
  urlOf(name: string): string;
  /** What the user needs when CREATE DATABASE is refused. */
  refusedHint: string;
}

export async function serverScratch(
  admin: Driver, sql: ServerScratchSql, open: (url: string) => Promise<Driver>,
): Promise<ScratchDatabases> {
  const adminSession = await admin.connect();
  let counter = 0;
  /** Created, but never handed out: opening a session on them failed. */
  const orphans = new Set<string>();
  const drop = async (name: string) => {
    try {
      await adminSession.execute(sql.dropSql(name));
      orphans.delete(name);
    } catch (error) {
      const reason = admin.failureOf(error)?.message ?? (error instanceof Error ? error.message : String(error));
      throw new ConnectionError(`could not drop scratch database ${name} on ${admin.display}: ${reason}; drop it by hand`, {
        code: 'scratch-database', cause: error,
      });
    }
  };
  return {
    display: `temporary databases on ${admin.display}`,
    async create() {
      const name = `sqlmig_verify_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      try {
        await adminSession.execute(sql.createSql(name));
      } catch (error) {
        const failure = admin.failureOf(error);
        if (!failure) throw error;
        throw new ConnectionError(`verify cannot create a scratch database on ${admin.display}: ${failure.message}`, {
          code: 'scratch-database', cause: error, hint: sql.refusedHint,
        });
      }
      try {
        const driver = await open(sql.urlOf(name));
        const session = await driver.connect();
        return {
          driver, session,
          async dispose() {
            await session.close();
            await drop(name);
          },
        };
      } catch (error) {
        // Nobody holds it, so nobody would dispose of it.
        orphans.add(name);
        await drop(name).catch(() => undefined);
        throw error;
      }
    },
    async close() {
      const failures: unknown[] = [];
      for (const name of [...orphans]) await drop(name).catch((error) => failures.push(error));
      await adminSession.close();
      if (failures.length > 0) throw new AggregateError(failures, 'scratch databases left behind');
    },
  };
}
