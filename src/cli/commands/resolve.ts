// `sqlmig resolve NAME --applied|--reverted`: after repairing a failed `transaction: off` migration by hand.
import type { Argv } from 'yargs';
import { UsageError } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';

export const command = 'resolve <name>';
export const describe = 'Record a repaired failed migration as applied, or forget it as reverted';

export function builder(y: Argv) {
  return withDatabaseOptions(y)
    .positional('name', { type: 'string', demandOption: true, describe: 'The failed migration' })
    .option('applied', { type: 'boolean', describe: 'The migration is now fully applied' })
    .option('reverted', { type: 'boolean', describe: 'The migration is now fully undone' })
    .option('force', { type: 'boolean', describe: 'With --reverted: forget an applied (not failed) migration whose objects were removed by hand' })
    .conflicts('applied', 'reverted')
    .example('$0 resolve app/big_index --reverted', 'after dropping what the failed file half-created');
}

export async function run(ctx: Context, argv: DatabaseArgs & { name: string; applied?: boolean; reverted?: boolean; force?: boolean }): Promise<number> {
  if (!argv.applied && !argv.reverted) throw new UsageError('say how it was resolved: --applied or --reverted');
  if (argv.force && !argv.reverted) throw new UsageError('--force goes only with --reverted', { hint: '--applied needs no force: it only marks a failed migration as applied' });
  const as = argv.applied ? 'applied' : 'reverted';
  await createMigrator(ctx, argv).resolve(argv.name, as, { force: argv.force });
  ctx.output.data({ resolved: argv.name, as });
  ctx.output.result(`${argv.name} recorded as ${as}`);
  return 0;
}
