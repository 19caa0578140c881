// Turns any failure into what the user sees (text on stderr, or JSON on stdout) and an exit code.
import { ExitCode, InputError, IntegrityError, MigrationError, renderDiagnostics, SqlmigError, summarizeDiagnostics } from '../index.js';
import type { Output } from './output.js';

export function reportError(error: unknown, output: Output): number {
  if (!(error instanceof SqlmigError)) {
    output.problem(`sqlmig: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return ExitCode.internalError;
  }
  if (output.json) {
    output.data({ error: errorJson(error) });
    return error.exitCode;
  }
  const diagnostics = error instanceof InputError || error instanceof IntegrityError ? error.diagnostics : [];
  if (diagnostics.length > 0) {
    output.problem(renderDiagnostics(diagnostics, output.err));
    const summary = error instanceof InputError ? summarizeDiagnostics(diagnostics) : error.message;
    output.problem(output.err.red(`sqlmig: ${summary}`));
    return error.exitCode;
  }
  const where = error.position ? `${error.position.path}:${error.position.line}:${error.position.column} ` : '';
  output.problem(`${output.err.bold(where)}${output.err.red(`error[${error.code}]`)}: ${error.message}`);
  if (error instanceof MigrationError) printSqlFailure(error, output);
  if (error.hint) output.problem(`  ${output.err.cyan('hint')}: ${error.hint}`);
  if (error instanceof MigrationError) output.problem(output.err.red(`sqlmig: ${outcome(error)}`));
  return error.exitCode;
}

function printSqlFailure(error: MigrationError, output: Output): void {
  const d = error.details;
  if (d.codeFrame) output.problem(d.codeFrame.split('\n').map((l) => `  ${l}`).join('\n'));
  const facts = [
    d.sqlstate && `SQLSTATE ${d.sqlstate}`,
    d.code,
    d.statement && `statement ${d.statement} of the ${d.section} section`,
  ].filter(Boolean).join(', ');
  if (facts) output.problem(`  ${output.err.dim(facts)}`);
  if (d.detail) output.problem(`  ${output.err.cyan('detail')}: ${d.detail}`);
  if (d.serverHint) output.problem(`  ${output.err.cyan('server hint')}: ${d.serverHint}`);
}

function outcome(error: MigrationError): string {
  const { migration, section, statement, transactional } = error.details;
  const verb = section === 'revert' ? 'reverted' : 'applied';
  if (transactional) return `${migration} was not ${verb}: its transaction was rolled back`;
  // Outside a transaction the verify section runs after every statement of the deploy has run.
  if (section === 'verify') {
    return `${migration} ran outside a transaction, then its verify section failed: it is recorded as failed; `
      + `check what it did, then run sqlmig resolve ${migration} --applied or --reverted`;
  }
  if (!statement || statement === 1) return `${migration} was not ${verb}: its first statement failed, nothing ran`;
  return `${migration} stopped at statement ${statement} outside a transaction and is recorded as failed; `
    + `repair it, then run sqlmig resolve ${migration} --applied or --reverted`;
}

export function errorJson(error: SqlmigError): Record<string, unknown> {
  const diagnostics = error instanceof InputError || error instanceof IntegrityError ? error.diagnostics : undefined;
  return {
    code: error.code,
    exitCode: error.exitCode,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.position ? { position: error.position } : {}),
    ...(diagnostics ? { diagnostics } : {}),
    ...(error instanceof MigrationError ? { details: error.details } : {}),
    ...(error.completed ? { completed: error.completed } : {}),
  };
}

export { ExitCode };
