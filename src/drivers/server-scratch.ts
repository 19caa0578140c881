// Scratch databases for `verify` on a server: one `CREATE DATABASE` each, dropped afterwards — or named when that fails.
import { ConnectionError } from '../errors.js';
import type { Driver, ScratchDatabases, Session } from './driver.js';

/** What differs between servers: the DDL, how to reach a database by name, and what a refusal needs. */
export interface ServerScratchSql {
  createSql(name: string): string;
  dropSql(name: string): string;
  /** The URL of the database `name` on the same server, with the same credentials. */
  urlOf(name: string): string;
  /** What the user needs when CREATE DATABASE is refused. */
  refusedHint: string;
  /** Names (column `name`) of the server's databases starting with `sqlmig_verify_` that no session is connected to. */
  unusedScratchSql: string;
}

const PREFIX = 'sqlmig_verify_';
const SCRATCH_NAME = new RegExp(`^${PREFIX}\\d+_([0-9a-z]+)_\\d+$`);

/** A scratch database's name: the creating process and the time it was made, so that leftovers can be told by age. */
function scratchName(createdAt: number, counter: number): string {
  return `${PREFIX}${process.pid}_${createdAt.toString(36)}_${counter}`;
}

/** When `name` was made, from its name; undefined for a name sqlmig did not make. */
function scratchCreatedAt(name: string): number | undefined {
  const match = SCRATCH_NAME.exec(name);
  return match ? parseInt(match[1], 36) : undefined;
}

/**
 * A run killed with SIGKILL (or a lost connection) cannot drop its scratch databases. A database
 * nobody is connected to and made over an hour ago is such a leftover: a running verify holds a
 * session on every scratch database it made, from creating it to dropping it, and the hour covers a
 * run on another machine that has created one and not yet connected. Dropping one can fail (another
 * role owns it): it is left for its owner.
 */
async function dropLeftovers(session: Session, sql: ServerScratchSql): Promise<string[]> {
  const hourAgo = Date.now() - 3_600_000;
  const rows = await session.query(sql.unusedScratchSql);
  const dropped: string[] = [];
  for (const name of rows.map((r) => String(r.name)).sort()) {
    const createdAt = scratchCreatedAt(name);
    if (createdAt === undefined || createdAt > hourAgo) continue;
    try {
      await session.execute(sql.dropSql(name));
      dropped.push(name);
    } catch {
      // not ours to drop
    }
  }
  return dropped;
}

export async function serverScratch(
  admin: Driver, sql: ServerScratchSql, open: (url: string) => Promise<Driver>,
): Promise<ScratchDatabases> {
  const adminSession = await admin.connect();
  const droppedLeftovers = await dropLeftovers(adminSession, sql);
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
    droppedLeftovers,
    async create() {
      const name = scratchName(Date.now(), counter++);
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
