// `sqlmig verify`: round trips (and --isolation) on scratch databases; exit 8 when something does not hold.
import type { Argv } from 'yargs';
import {
  ExitCode, loadProject, plural, renderDifferences, selectMigrations, verifyProject, type VerifyFileResult, type VerifyReport,
} from '../../index.js';
import type { Context } from '../context.js';
import type { Output } from '../output.js';
import { installSignalHandlers } from '../signals.js';

export const command = 'verify [names..]';
export const describe = 'Prove on scratch databases that reverts undo their deploys and requires are complete';

export function builder(y: Argv) {
  return y
    .positional('names', { type: 'string', array: true, describe: 'Check only these migrations (names or file paths); the others are applied' })
    .option('isolation', { type: 'boolean', describe: 'Deploy each file on a database holding only what it requires' })
    .option('since', { type: 'string', describe: 'Check only the migrations added or changed since this git ref (e.g. origin/main)' })
    .option('strict', { type: 'boolean', describe: 'Cosmetic differences (column order, comments, formatting in a body) fail too' })
    .example('$0 verify', 'round trip every file on an in-memory PGlite')
    .example('$0 verify --since origin/main', 'round trip only what this branch adds or changes; apply the rest')
    .example('$0 verify --db postgres://localhost/postgres', 'on temporary databases of that server (needs CREATEDB)')
    .epilogue('verify never uses DATABASE_URL: only a --db given on the command line names a server for its temporary databases.');
}

interface VerifyArgs {
  names?: string[];
  isolation?: boolean;
  since?: string;
  strict?: boolean;
  db?: string;
}

export async function run(ctx: Context, argv: VerifyArgs): Promise<number> {
  const project = await loadProject(ctx.dir, ctx.dialect);
  const only = selectMigrations(project, { names: argv.names, since: argv.since });
  // Temporary databases on a server outlive a killed process: a signal drops them first. In memory
  // nothing is left behind, and the signals keep their default effect.
  const stop = new AbortController();
  const removeHandlers = argv.db === undefined ? undefined
    : installSignalHandlers({ interrupt: (signal) => stop.abort(signal) }, 'rolling back and dropping the scratch databases');
  try {
    const report = await verifyProject(project, {
      db: argv.db, isolation: argv.isolation, strict: argv.strict, only, vars: ctx.vars, signal: stop.signal,
      onResult: (r) => printResult(ctx.output, r, argv.strict === true), onWarning: (message) => ctx.output.problem(`sqlmig: ${message}`),
    });
    ctx.output.data(report);
    ctx.output.result(summary(report, project.order.length, argv.since));
    return report.ok ? ExitCode.ok : ExitCode.verifyFailed;
  } finally {
    removeHandlers?.();
  }
}

const INDENT = ' '.repeat(13);

function printResult(output: Output, r: VerifyFileResult, strict: boolean): void {
  if (output.json) return;
  const s = output.out;
  const label = (text: string, color: (t: string) => string) => color(text.padEnd(12));
  const where = r.error?.position ? `${r.error.position.path}:${r.error.position.line}:${r.error.position.column}: ` : '';
  const differences = () => { for (const line of renderDifferences(r.differences ?? [])) output.result(`${INDENT}${line}`); };
  switch (r.status) {
    case 'ok': output.result(`${label('ok', s.green)} ${r.name}`); break;
    case 'irreversible': output.result(`${label('skipped', s.dim)} ${r.name} ${s.dim('(irreversible: no revert section)')}`); break;
    case 'not-run': output.result(`${label('not run', s.dim)} ${r.name}`); break;
    case 'cosmetic':
      output.result(`${strict ? label('FAIL', s.red) : label('note', s.yellow)} ${r.name}: the revert restores the schema but for cosmetic differences`
        + `${strict ? ' (--strict)' : ''}`);
      differences();
      break;
    case 'revert-incomplete':
      output.result(`${label('FAIL', s.red)} ${r.name}: the revert does not restore the schema`);
      differences();
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
      differences();
    }
  }
}

function summary(report: VerifyReport, total: number, since: string | undefined): string {
  if (report.only && report.only.length === 0) {
    return `sqlmig verify: nothing to verify (${since === undefined ? 'no migration named' : `no migration added or changed since ${since}`})`;
  }
  const count = (status: string) => report.results.filter((r) => r.status === status).length;
  const cosmetic = count('cosmetic');
  const passed = count('ok') + (report.strict ? 0 : cosmetic);
  const failed = report.results.filter((r) => !['ok', 'irreversible', 'not-run', ...(report.strict ? [] : ['cosmetic'])].includes(r.status)).length;
  const skipped = count('irreversible') > 0 ? `, ${count('irreversible')} irreversible skipped` : '';
  const notes = cosmetic > 0 && !report.strict ? `, ${cosmetic} with cosmetic differences only (notes; --strict fails them)` : '';
  const what = report.mode === 'isolation' ? 'deploy with only what they require' : 'round-trip (deploy, revert, same schema, deploy)';
  const checked = report.only?.length ?? report.results.length;
  const others = report.only ? `; ${plural(total - checked, 'other migration')} not checked` : '';
  const head = `sqlmig verify on ${report.scratch}: ${passed} of ${plural(checked, 'migration')} ${what}${skipped}${notes}${others}`;
  return failed === 0 ? head : `${head}; ${plural(failed, 'failure')}`;
}
