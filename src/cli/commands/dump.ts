// `sqlmig dump [--out FILE]`: the database's schema as stable, loadable SQL, ending with the applied migrations.
import { renameSync, writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { DEFAULT_DATABASE_URL, openDriver, plural, UsageError, type DumpResult } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';

export const command = 'dump';
export const describe = 'Print the schema as stable, loadable SQL, followed by the applied migrations';

export function builder(y: Argv) {
  return withDatabaseOptions(y)
    .option('out', { type: 'string', describe: 'Write it to FILE instead of stdout' })
    .example('$0 dump --out db/schema.sql', 'the schema for review, next to the migrations');
}

export async function run(ctx: Context, argv: DatabaseArgs & { out?: string }): Promise<number> {
  const dump = await createMigrator(ctx, argv).dump();
  reportDump(ctx, dump, argv.out);
  return 0;
}

/** `up --dump` on an engine without a dump is refused before anything runs (opening a driver connects to nothing). */
export async function assertDumpable(ctx: Context): Promise<void> {
  const driver = await openDriver(ctx.db ?? DEFAULT_DATABASE_URL, { lockWaitMs: 0 });
  if (!driver.dump) {
    throw new UsageError(`sqlmig dump does not support ${driver.display} yet`, { hint: 'it dumps PostgreSQL, the embedded PostgreSQL, SQLite, MySQL and MariaDB' });
  }
}

/**
 * Writes the dump to `out` (whole or not at all) or prints it; says what it left out. `up --dump` prints
 * its own JSON document (`asPart`), so the dump adds none.
 */
export function reportDump(ctx: Context, dump: DumpResult, out: string | undefined, asPart = false): void {
  const { output } = ctx;
  for (const object of dump.skipped) output.problem(output.err.yellow(`warning: sqlmig dump does not write ${object} yet`));
  if (out === undefined) {
    if (output.json) output.data({ database: dump.database, sql: dump.sql, applied: dump.applied, skipped: dump.skipped });
    else process.stdout.write(dump.sql);
    return;
  }
  // A reader of the file never sees half of it: written beside it, then renamed over it.
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, dump.sql);
  renameSync(partial, out);
  if (!asPart) output.data({ database: dump.database, out, applied: dump.applied, skipped: dump.skipped });
  output.result(`wrote the schema of ${dump.database} to ${out} (${plural(dump.applied.length, 'applied migration')})`);
}
