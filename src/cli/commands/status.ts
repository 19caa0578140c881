// `sqlmig status`: every migration with its state.
import type { Argv } from 'yargs';
import { ExitCode, type MigrationState, type MigrationStatus } from '../../index.js';
import type { Context } from '../context.js';
import { createMigrator, withDatabaseOptions, type DatabaseArgs } from '../database-options.js';
import { describeStatus } from '../fleet-output.js';
import { printEmptyFolder, printWarnings } from '../run-output.js';
import { runOnTargets, targetsRequested, withTargetOptions, type TargetArgs } from '../targets.js';

export const command = 'status';
export const describe = 'Show every migration as applied, pending, drifted, missing or failed';

export function builder(y: Argv) {
  return withTargetOptions(withDatabaseOptions(y))
    .option('exit-code', { type: 'boolean', describe: 'Exit 6 when migrations are pending, 5 on drift, missing or failed ones' })
    .example('$0 status --exit-code || echo "deploy needed"', 'tell a deploy script whether to run up');
}

const ORDER: MigrationState[] = ['applied', 'pending', 'drifted', 'missing', 'failed'];

export async function run(ctx: Context, argv: DatabaseArgs & TargetArgs & { exitCode?: boolean }): Promise<number> {
  if (targetsRequested(ctx, argv)) {
    return runOnTargets(ctx, argv, describeStatus, (fleet) => fleet.status(), {
      json: ({ database, migrations }) => ({ database, migrations }),
      exitCodeOf: ({ migrations }) => (argv.exitCode ? statusExitCode(migrations) : ExitCode.ok),
    });
  }
  const { database, migrations, warnings } = await createMigrator(ctx, argv).status();
  printWarnings(ctx.output, warnings);
  ctx.output.data({ database, migrations });
  const width = Math.max(0, ...migrations.map((m) => m.name.length));
  for (const m of migrations) ctx.output.result(`${paint(ctx, m.state)} ${m.name.padEnd(width)}  ${ctx.output.out.dim(note(m))}`.trimEnd());
  const counts = ORDER.map((s) => [s, migrations.filter((m) => m.state === s).length] as const).filter(([, n]) => n > 0);
  if (counts.length > 0) ctx.output.result(`${database}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`);
  // Only a file gives a status a path: none means the folder is empty (what is listed is history alone).
  if (!migrations.some((m) => m.path !== undefined)) printEmptyFolder(ctx.output, ctx.dir);
  return argv.exitCode ? statusExitCode(migrations) : ExitCode.ok;
}

/** `--exit-code`: 5 on drift, missing or failed migrations, 6 when some are pending, else 0. */
function statusExitCode(migrations: readonly MigrationStatus[]): number {
  if (migrations.some((m) => m.state === 'drifted' || m.state === 'missing' || m.state === 'failed')) return ExitCode.integrity;
  return migrations.some((m) => m.state === 'pending') ? ExitCode.pending : ExitCode.ok;
}

function paint(ctx: Context, state: MigrationState): string {
  const s = ctx.output.out;
  const label = state.padEnd(7);
  return state === 'applied' ? s.green(label) : state === 'pending' ? s.cyan(label) : s.red(label);
}

function note(m: MigrationStatus): string {
  const when = m.appliedAt ? m.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '';
  if (m.state === 'drifted') {
    const parts = m.drift?.deploy !== false ? [`applied ${m.appliedChecksum?.slice(0, 12)}, file now ${m.fileChecksum?.slice(0, 12)}`] : [];
    for (const r of m.drift?.requires ?? []) parts.push(`requires ${r.name}, ${r.appliedSeq === undefined ? 'not applied' : 'applied after it'}`);
    return `${when} ${parts.join('; ')}`;
  }
  if (m.state === 'failed') return `${when} failed at statement ${m.failedStatement ?? '?'}: ${m.error ?? ''}`;
  if (m.state === 'missing') {
    return m.renamedTo !== undefined
      ? `${when} file gone; renamed to ${m.renamedTo}? (sqlmig resolve ${m.name} --renamed-to ${m.renamedTo})`
      : `${when} file gone; revert SQL stored`;
  }
  if (m.renamedFrom !== undefined) return `renamed from ${m.renamedFrom}?`;
  if (m.changed) return `(changed) applied ${when}, file changed since: up applies it again`;
  return when;
}
