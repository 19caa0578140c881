// `sqlmig import --from TOOL SOURCE`: converts another tool's migrations folder, and with --db adopts its history.
import type { Argv } from 'yargs';
import { IMPORT_TOOL_NAMES, importMigrations, plural, renderDiagnostics, type ImportResult } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';

export const command = 'import <source>';
export const describe = "Convert another tool's migrations into sqlmig files (and with --db, adopt its history)";

export function builder(y: Argv) {
  return withDatabaseOptions(y)
    .positional('source', { type: 'string', demandOption: true, describe: "The folder of the other tool's migrations" })
    .option('from', { type: 'string', choices: IMPORT_TOOL_NAMES, demandOption: true, describe: 'The tool that wrote them' })
    .option('history-table', { type: 'string', describe: "The other tool's history table, when not its default name" })
    .option('dry-run', { type: 'boolean', describe: 'Check and report; write no file and no history' })
    .example('$0 import --from golang-migrate db/migrations --dir migrations', 'writes one sqlmig file per migration')
    .example('$0 import --from dbmate db/migrations --db postgres://app@db/app', 'and records what dbmate applied there')
    .epilogue('Only a --db given on the command line adopts a history: DATABASE_URL is not used.');
}

interface ImportArgs extends DatabaseArgs {
  source: string;
  from: string;
  historyTable?: string;
  dryRun?: boolean;
  db?: string;
}

export async function run(ctx: Context, argv: ImportArgs): Promise<number> {
  // Like verify, import touches a database only when the command line names one.
  const migrator = argv.db === undefined ? undefined : createMigrator({ ...ctx, db: argv.db }, argv, () => undefined);
  const result = await importMigrations({
    from: argv.from, source: argv.source, dir: ctx.dir, dialect: ctx.dialect, migrator, historyTable: argv.historyTable, dryRun: argv.dryRun,
  });
  ctx.output.data(result);
  if (result.warnings.length > 0 && !ctx.output.json) ctx.output.problem(renderDiagnostics(result.warnings, ctx.output.err));
  report(ctx, result);
  return 0;
}

function report(ctx: Context, result: ImportResult): void {
  const { output } = ctx;
  const s = output.out;
  const fresh = result.files.filter((f) => f.state === 'new').length;
  for (const f of result.files) {
    const label = f.state === 'unchanged' ? s.dim('unchanged') : result.dryRun ? 'would write' : s.green('wrote');
    output.result(`${label.padEnd(11)} ${f.path}  ${s.dim(`<- ${f.from.join(', ')}`)}`);
  }
  const count = result.warnings.length;
  const needs = count === 0 ? '' : count === 1 ? '; the warning above says what needs a human' : `; the ${count} warnings above say what needs a human`;
  const verb = result.dryRun ? 'dry run: would write' : 'wrote';
  output.result(`${verb} ${plural(fresh, 'file')} from ${plural(result.files.length, `${result.tool} migration`)} into ${ctx.dir}${needs}`);
  if (result.adopted) {
    const { database, table, recorded } = result.adopted;
    output.result(`${result.dryRun ? 'dry run: would record' : 'recorded'} ${plural(recorded.length, 'migration')} as applied on ${database}, `
      + `as ${table} shows (none ran); sqlmig status lists what is pending`);
  }
}
