// `sqlmig down`: reverts applied migrations, last applied first.
import type { Argv } from 'yargs';
import { loadProject, UsageError, type DownOptions } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';
import { describeRun } from '../fleet-output.js';
import { progressPrinter } from '../progress.js';
import { reportRun } from '../run-output.js';
import { runOnTargets, targetsRequested, withTargetOptions, type TargetArgs } from '../targets.js';

export const command = 'down';
export const describe = 'Revert the last applied migration (or --to, --count, --only, --all)';

export function builder(y: Argv) {
  return withTargetOptions(withDatabaseOptions(y))
    .option('to', { type: 'string', describe: 'Revert everything applied after NAME (NAME stays)' })
    .option('count', { type: 'number', describe: 'Revert the last N applied migrations' })
    .option('only', { type: 'string', describe: 'Revert NAME and the applied migrations that require it' })
    .option('all', { type: 'boolean', describe: 'Revert every applied migration' })
    .option('dry-run', { type: 'boolean', describe: 'Print the SQL that would run; change nothing' })
    .conflicts({ to: ['count', 'only', 'all'], count: ['only', 'all'], only: ['all'] })
    .example('$0 down', 'revert the last applied migration')
    .example('$0 down --to core/003_users', 'revert everything applied after core/003_users');
}

interface DownArgs extends DatabaseArgs, TargetArgs {
  to?: string;
  count?: number;
  only?: string;
  all?: boolean;
  dryRun?: boolean;
}

export async function run(ctx: Context, argv: DownArgs): Promise<number> {
  if (targetsRequested(ctx, argv)) {
    const options = { ...selection(argv), dryRun: argv.dryRun };
    return runOnTargets(ctx, argv, describeRun, (fleet) => fleet.down(options));
  }
  const migrator = createMigrator(ctx, argv, progressPrinter(ctx.output));
  const started = performance.now();
  const selected = selection(argv);
  const project = await loadProject(ctx.dir, ctx.dialect);
  reportRun(ctx.output, await migrator.down({ ...selected, dryRun: argv.dryRun, project }), project, started);
  return 0;
}

function selection(argv: DownArgs): DownOptions {
  if (argv.to !== undefined) return { to: argv.to };
  if (argv.only !== undefined) return { only: argv.only };
  if (argv.all) return { all: true };
  const count = argv.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new UsageError('--count takes a whole number of at least 1');
  return { count };
}
