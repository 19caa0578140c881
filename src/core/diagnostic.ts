// Diagnostics: user mistakes found by the pure core, returned as data (never thrown).

/** A place in a migration file; line and column are 1-based, the column counts characters. */
export interface SourcePosition {
  path: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** One problem in the input, with a stable code and, where it helps, a hint. */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
  position?: SourcePosition;
}

/** What the core returns when the input may be wrong: a value (possibly partial) and the problems found. */
export interface Checked<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by path, line, column, then code, so reports are stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => {
    const pa = a.position, pb = b.position;
    if (!pa || !pb) return pa ? 1 : pb ? -1 : a.code.localeCompare(b.code);
    if (pa.path !== pb.path) return pa.path < pb.path ? -1 : 1;
    return pa.line - pb.line || pa.column - pb.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  });
}
