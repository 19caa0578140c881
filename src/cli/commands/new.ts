// `sqlmig new NAME`: creates a migration file from the template.
import type { Argv } from 'yargs';
import { newMigration } from '../../index.js';
import type { Context } from '../context.js';
import { splitNames } from '../args.js';

export const command = 'new <name>';
export const describe = 'Create NAME.sql with a header and a revert section';

export function builder(y: Argv) {
  return y
    .positional('name', { type: 'string', demandOption: true, describe: 'Migration name: its path in the folder, without .sql' })
    .option('requires', { type: 'string', array: true, describe: 'Names it requires (comma- or space-separated)' })
    .option('vars', { type: 'string', array: true, describe: 'Variables it declares (comma- or space-separated)' })
    .option('repeatable', { type: 'boolean', describe: 'Re-applied whenever it changes (views, functions, grants)' })
    .example('$0 new app/add_orders --requires app/users', 'writes migrations/app/add_orders.sql')
    .example('$0 new app/reporting_views --repeatable --vars app_schema', 'a repeatable file with a variable');
}

export async function run(ctx: Context, argv: { name: string; requires?: string[]; vars?: string[]; repeatable?: boolean }): Promise<number> {
  const created = await newMigration({
    dir: ctx.dir, name: argv.name, requires: splitNames(argv.requires), vars: splitNames(argv.vars), repeatable: argv.repeatable,
  });
  ctx.output.data({ created });
  ctx.output.result(`created ${created.path}`);
  return 0;
}
