// `sqlmig resolve NAME --applied|--reverted|--accept|--renamed-to NEW`: repair the history by hand.
import type { Argv } from 'yargs';
import { UsageError, type ResolveAction, type ResolveResult } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';

export const command = 'resolve <name>';
export const describe = 'Settle a failed migration, accept an edit of an applied file, or follow a rename';

const ACTIONS = ['applied', 'reverted', 'accept', 'renamed-to'] as const;

export function builder(y: Argv) {
  return withDatabaseOptions(y)
    .positional('name', { type: 'string', demandOption: true, describe: 'The migration whose history row to repair' })
    .option('applied', { type: 'boolean', describe: 'A failed migration is now fully applied' })
    .option('reverted', { type: 'boolean', describe: 'A failed migration is now fully undone' })
    .option('accept', { type: 'boolean', describe: 'The edit of an applied file is deliberate: record the file as it is' })
    .option('renamed-to', { type: 'string', describe: 'The applied file NAME was renamed to this one: move its history row' })
    .option('force', { type: 'boolean', describe: 'With --reverted: forget an applied (not failed) migration whose objects were removed by hand' })
    .example('$0 resolve app/big_index --reverted', 'after dropping what the failed file half-created')
    .example('$0 resolve app/users --accept', 'keep an edit of an applied file that changes nothing already run')
    .example('$0 resolve 003_users --renamed-to core/003_users', 'after moving the file');
}

interface ResolveArgs extends DatabaseArgs {
  name: string;
  applied?: boolean;
  reverted?: boolean;
  accept?: boolean;
  renamedTo?: string;
  force?: boolean;
}

export async function run(ctx: Context, argv: ResolveArgs): Promise<number> {
  const given = ACTIONS.filter((a) => (a === 'renamed-to' ? argv.renamedTo !== undefined : argv[a]));
  if (given.length !== 1) {
    throw new UsageError(given.length === 0 ? 'say how to resolve it: --applied, --reverted, --accept or --renamed-to NEW'
      : `--${given.join(' and --')} cannot be combined: choose one`);
  }
  if (argv.renamedTo === '') throw new UsageError('--renamed-to needs the new name');
  if (argv.force && !argv.reverted) throw new UsageError('--force goes only with --reverted', { hint: 'the other actions need no force' });
  const action: ResolveAction = argv.renamedTo !== undefined ? { renamedTo: argv.renamedTo.normalize('NFC') }
    : argv.accept ? 'accepted' : argv.applied ? 'applied' : 'reverted';
  const result = await createMigrator(ctx, argv).resolve(argv.name.normalize('NFC'), action, { force: argv.force });
  const { name, ...rest } = result;
  ctx.output.data({ resolved: name, ...rest });
  ctx.output.result(describeResult(result));
  return 0;
}

function describeResult(r: ResolveResult): string {
  if (r.as === 'renamed') return `${r.name} renamed to ${r.renamedTo} in the history, in its place`;
  if (r.as !== 'accepted') return `${r.name} recorded as ${r.as}`;
  if (!r.checksum) return `${r.name}: nothing to accept: the file matches its history`;
  return `${r.name}: edit accepted (checksum ${r.checksum.from.slice(0, 12)} -> ${r.checksum.to.slice(0, 12)})`;
}
