// Diagnostics as text: `path:line:col error[code]: message`, then the hint.
import type { Diagnostic } from '../diagnostic.js';
import { plural } from '../strings.js';
import { plainStyle, type Style } from './style.js';

export function renderDiagnostic(d: Diagnostic, style: Style = plainStyle): string {
  const where = d.position ? `${d.position.path}:${d.position.line}:${d.position.column} ` : '';
  const label = d.severity === 'error' ? style.red(`error[${d.code}]`) : style.yellow(`warning[${d.code}]`);
  const head = `${style.bold(where)}${label}: ${d.message}`;
  return d.hint ? `${head}\n  ${style.cyan('hint')}: ${d.hint}` : head;
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], style: Style = plainStyle): string {
  return diagnostics.map((d) => renderDiagnostic(d, style)).join('\n');
}

/** "3 errors, 1 warning" — the closing line of a report. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const parts = [plural(errors, 'error')];
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}
