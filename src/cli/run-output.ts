// Printing what a run did or would do.
import { renderDiagnostics, type Diagnostic, type RunResult } from '../index.js';
import { plural } from '../index.js';
import type { Output } from './output.js';

export function printWarnings(output: Output, warnings: readonly Diagnostic[]): void {
  if (warnings.length > 0 && !output.quiet) output.problem(renderDiagnostics(warnings, output.err));
}

/** The SQL of each step, commented with its name, as psql would take it. */
export function printDryRun(output: Output, result: RunResult, verb: 'applied' | 'reverted'): void {
  for (const step of result.steps) {
    output.result(output.out.dim(`-- ${step.action} ${step.name}`));
    output.result((step.sql ?? '').trim() || output.out.dim('-- (no SQL)'));
    output.result('');
  }
  const count = result.steps.length === 0 ? 'nothing' : plural(result.steps.length, 'migration');
  output.result(`dry run: ${count} would be ${verb} on ${result.database}; nothing was changed`);
}
