// `sqlmig up`: applies pending migrations.
import type { Argv } from 'yargs';
import { lintProject, loadProject, plural, type Project, type RunResult } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';
import { assertDumpable, reportDump } from './dump.js';
import { describeRun } from '../fleet-output.js';
import { progressPrinter } from '../progress.js';
import { reportRun } from '../run-output.js';
import { runOnTargets, targetsRequested, withTargetOptions, type TargetArgs } from '../targets.js';

export const command = 'up';
export const describe = 'Apply pending migrations, in order, each in its own transaction';

export function builder(y: Argv) {
  return withTargetOptions(withDatabaseOptions(y))
    .option('to', { type: 'string', describe: 'Apply only NAME and what it requires' })
    .option('dry-run', { type: 'boolean', describe: 'Print the SQL that would run; change nothing' })
    .option('single-transaction', { type: 'boolean', describe: 'Apply everything in one transaction: all or nothing' })
    .option('log-only', { type: 'boolean', describe: 'Record pending migrations as applied without running them' })
    .option('dump', { type: 'string', describe: 'After a successful run, write the schema to FILE (as sqlmig dump --out FILE)' })
    .conflicts('log-only', 'single-transaction')
    .conflicts('dump', 'dry-run')
    .example('$0 up', 'apply everything pending')
    .example('$0 up --to app/orders --dry-run', 'show what applying app/orders would run')
    .example('$0 up --log-only --to core/003_users', 'adopt a database that has these already')
    .example('$0 up --targets tenants.json --parallel 8', 'apply to every database and tenant schema of the list');
}

interface UpArgs extends DatabaseArgs, TargetArgs {
  to?: string;
  dryRun?: boolean;
  singleTransaction?: boolean;
  logOnly?: boolean;
  dump?: string;
}

export async function run(ctx: Context, argv: UpArgs): Promise<number> {
  if (targetsRequested(ctx, argv)) {
    const { to, dryRun, singleTransaction, logOnly } = argv;
    return runOnTargets(ctx, argv, describeRun, (fleet) => fleet.up({ to, dryRun, singleTransaction, logOnly }));
  }
  const migrator = createMigrator(ctx, argv, progressPrinter(ctx.output));
  if (argv.dump !== undefined) await assertDumpable(ctx);
  const started = performance.now();
  // Read here, once, for what is said afterwards: an empty folder, and the lint line of a dry run.
  const project = await loadProject(ctx.dir, ctx.dialect);
  const result = await migrator.up({ to: argv.to, dryRun: argv.dryRun, singleTransaction: argv.singleTransaction, logOnly: argv.logOnly, project });
  reportRun(ctx.output, result, project, started);
  // A dry run lints what it would apply (nothing runs with --log-only).
  if (argv.dryRun && !argv.logOnly && result.steps.length > 0) ctx.output.result(await lintSummary(project, result, ctx.vars));
  if (argv.dump !== undefined) reportDump(ctx, await migrator.dump(), argv.dump, true);
  return 0;
}

/** One line: the breaking changes among the pending migrations (the SQL parser loads only here). */
async function lintSummary(project: Project, result: RunResult, vars: Record<string, string>): Promise<string> {
  const pending = new Set(result.steps.map((s) => s.name));
  const report = await lintProject(project, { only: pending, vars });
  if (report.findings.length === 0 && report.syntaxErrors.length === 0) return 'lint: no breaking changes in the pending migrations';
  const rules = [...new Set(report.findings.map((f) => f.rule))].join(', ');
  const syntax = report.syntaxErrors.length > 0 ? `, ${plural(report.syntaxErrors.length, 'syntax error')}` : '';
  return `lint: ${plural(report.findings.length, 'breaking change')} in the pending migrations (${rules})${syntax}; run sqlmig lint for details`;
}
