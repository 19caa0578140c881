// Turns any failure into what the user sees (text on stderr, or JSON on stdout) and an exit code.
import { ExitCode, InputError, IntegrityError, renderDiagnostics, SqlmigError, summarizeDiagnostics } from '../index.js';
import type { Output } from './output.js';

export function reportError(error: unknown, output: Output): number {
  if (!(error instanceof SqlmigError)) {
    output.problem(`sqlmig: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 70;
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
  if (error.hint) output.problem(`  ${output.err.cyan('hint')}: ${error.hint}`);
  return error.exitCode;
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
  };
}

export { ExitCode };
