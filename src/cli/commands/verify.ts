// `sqlmig verify`: round trips (and --isolation) on scratch databases; exit 8 when something does not hold.
import type { Argv } from 'yargs';
import { describeDifference, ExitCode, loadProject, plural, verifyProject, type VerifyFileResult, type VerifyReport } from '../../index.js';
import type { Context } from '../context.js';
import type { Output } from '../output.js';
import { installSignalHandlers } from '../signals.js';

export const command = 'verify';
export const describe = 'Prove on scratch databases that reverts undo their deploys and requires are complete';

export function builder(y: Argv) {
  return y
    .option('isolation', { type: 'boolean', describe: 'Deploy each file on a database holding only what it requires' })
    .example('$0 verify', 'round trip every file on an in-memory PGlite')
    .example('$0 verify --db postgres://localhost/postgres', 'on temporary databases of that server (needs CREATEDB)')
    .epilogue('verify never uses DATABASE_URL: only a --db given on the command line names a server for its temporary databases.');
}

export async function run(ctx: Context, argv: { isolation?: boolean; db?: string }): Promise<number> {
  const project = await loadProject(ctx.dir, ctx.dialect);
  // Temporary databases on a server outlive a killed process: a signal drops them first. In memory
  // nothing is left behind, and the signals keep their default effect.
  const stop = new AbortController();
  const removeHandlers = argv.db === undefined ? undefined
    : installSignalHandlers({ interrupt: (signal) => stop.abort(signal) }, 'rolling back and dropping the scratch databases');
  try {
    const report = await verifyProject(project, {
      db: argv.db, isolation: argv.isolation, vars: ctx.vars, signal: stop.signal,
      onResult: (r) => printResult(ctx.output, r), onWarning: (message) => ctx.output.problem(`sqlmig: ${message}`),
    });
    return reportVerify(ctx, report);
  } finally {
    removeHandlers?.();
  }
}

function reportVerify(ctx: Context, report: VerifyReport): number {
  ctx.output.data(report);
  ctx.output.result(summary(report));
  return report.ok ? ExitCode.ok : ExitCode.verifyFailed;
}

function printResult(output: Output, r: VerifyFileResult): void {
  if (output.json) return;
  const s = output.out;
  const label = (text: string, color: (t: string) => string) => color(text.padEnd(12));
  const where = r.error?.position ? `${r.error.position.path}:${r.error.position.line}:${r.error.position.column}: ` : '';
  switch (r.status) {
    case 'ok': output.result(`${label('ok', s.green)} ${r.name}`); break;
    case 'irreversible': output.result(`${label('skipped', s.dim)} ${r.name} ${s.dim('(irreversible: no revert section)')}`); break;
    case 'not-run': output.result(`${label('not run', s.dim)} ${r.name}`); break;
    case 'revert-incomplete':
      output.result(`${label('FAIL', s.red)} ${r.name}: the revert does not restore the schema`);
      for (const d of r.differences ?? []) output.result(`             ${describeDifference(d)}`);
      break;
    case 'missing-requires': {
      const fix = r.missing?.createdBy ? `; add "-- requires: ${r.missing.createdBy}" (it creates ${r.missing.object})` : '';
      output.result(`${label('MISSING', s.red)} ${r.name}: ${where}${r.error?.message}${fix}`);
      break;
    }
    default: {
      const what = { 'deploy-failed': 'deploy failed', 'revert-failed': 'revert failed', 'redeploy-failed': 'deploy failed after the revert',
        'requirement-failed': 'a requirement failed' }[r.status as string] ?? r.status;
      output.result(`${label('FAIL', s.red)} ${r.name}: ${what}: ${where}${r.error?.message}`);
      for (const d of r.differences ?? []) output.result(`             ${describeDifference(d)}`);
    }
  }
}

function summary(report: VerifyReport): string {
  const count = (status: string) => report.results.filter((r) => r.status === status).length;
  const failed = report.results.filter((r) => !['ok', 'irreversible', 'not-run'].includes(r.status)).length;
  const skipped = count('irreversible') > 0 ? `, ${count('irreversible')} irreversible skipped` : '';
  const what = report.mode === 'isolation' ? 'deploy with only what they require' : 'round-trip (deploy, revert, same schema, deploy)';
  const head = `sqlmig verify on ${report.scratch}: ${count('ok')} of ${plural(report.results.length, 'migration')} ${what}${skipped}`;
  return failed === 0 ? head : `${head}; ${plural(failed, 'failure')}`;
}
