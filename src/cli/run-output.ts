// Printing what a run did or would do.
import { plural, renderDiagnostics, type Diagnostic, type Project, type RunResult } from '../index.js';
import { formatDuration } from './duration.js';
import type { Output } from './output.js';

export function printWarnings(output: Output, warnings: readonly Diagnostic[]): void {
  if (warnings.length > 0 && !output.quiet) output.problem(renderDiagnostics(warnings, output.err));
}

/** The SQL of each step, commented with its name, as psql would take it. */
export function printDryRun(output: Output, result: RunResult, verb: 'applied' | 'reverted'): void {
  if (result.steps.some((s) => s.logOnly)) {
    for (const step of result.steps) output.result(`${output.out.cyan('would record')} ${step.name} ${output.out.dim('(not run)')}`);
    output.result(`dry run: ${plural(result.steps.length, 'migration')} would be recorded as applied on ${result.database}; nothing was changed`);
    return;
  }
  for (const step of result.steps) {
    output.result(output.out.dim(`-- ${step.action} ${step.name}${step.reapply ? ' (repeatable, changed: applied again)' : ''}`));
    output.result((step.sql ?? '').trim() || output.out.dim('-- (no SQL)'));
    output.result('');
  }
  const count = result.steps.length === 0 ? 'nothing' : plural(result.steps.length, 'migration');
  output.result(`dry run: ${count} would be ${verb} on ${result.database}; nothing was changed`);
}

/**
 * Said when the folder holds no migration at all: "every migration is applied" would be true but
 * misleading, since the likelier cause is a wrong --dir or a project not started yet.
 */
export function printEmptyFolder(output: Output, dir: string, prefix = ''): void {
  output.result(`${prefix}the migrations folder ${dir} has no migrations`);
  output.result(`  hint: sqlmig new NAME creates one there, or point --dir or SQLMIG_DIR at the folder that has them`);
}

/** Everything `up` and `down` print once the run is over: warnings, JSON, the dry-run SQL or a summary line. */
export function reportRun(output: Output, result: RunResult, project: Project, startedAt: number): void {
  printWarnings(output, result.warnings);
  output.data(result);
  const verb = result.command === 'up' ? 'applied' : 'reverted';
  if (result.steps.length === 0 && project.order.length === 0) {
    return printEmptyFolder(output, project.dir, result.command === 'up' ? 'nothing to do: ' : 'nothing to revert: ');
  }
  if (result.dryRun) return printDryRun(output, result, verb);
  if (result.steps.length === 0) {
    output.result(result.command === 'up' ? 'nothing to do: every migration is applied' : 'nothing to revert');
    return;
  }
  const where = result.command === 'up' ? 'to' : 'on';
  if (result.steps.some((s) => s.logOnly)) {
    output.result(`${plural(result.steps.length, 'migration')} recorded as applied on ${result.database}, none run (--log-only)`);
    return;
  }
  output.result(`${plural(result.steps.length, 'migration')} ${verb} ${where} ${result.database} in ${formatDuration(performance.now() - startedAt)}`);
}
