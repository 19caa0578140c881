// What a run checks before it changes anything: the plan's errors, integrity, the search path, extensions, --single-transaction.
import { sortDiagnostics, type Diagnostic } from './core/diagnostic.js';
import type { Dialect } from './core/dialect.js';
import type { ExtensionUse } from './core/extensions.js';
import type { Step } from './core/plan.js';
import { schemasOf } from './core/search-path.js';
import type { Driver } from './drivers/driver.js';
import { InputError, IntegrityError, UsageError } from './errors.js';

/** The value of a plan, or its errors thrown as one InputError. */
export function unwrap<T>(checked: { value: T; diagnostics: Diagnostic[] }): T {
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new InputError(errors, errors.length === 1 ? errors[0].message : undefined);
  return checked.value;
}

/** Throws the errors among `problems`; returns the warnings. */
export function throwIntegrity(all: Diagnostic[]): Diagnostic[] {
  const problems = all.filter((d) => d.severity === 'error');
  const warnings = all.filter((d) => d.severity !== 'error');
  if (problems.length === 0) return warnings;
  sortDiagnostics(problems);
  const summary = problems.length === 1 ? problems[0].message : `${problems.length} migrations disagree with the history`;
  throw new IntegrityError(problems[0].code, summary, problems);
}

/** A search_path only where the dialect has one, and only of real names. */
export function assertSearchPath(searchPath: string, dialect: Dialect): void {
  if (dialect.withoutSearchPath) throw new UsageError(`searchPath is for PostgreSQL: ${dialect.withoutSearchPath}`);
  if (schemasOf(searchPath).some((s) => s === '' || s.includes('\0'))) {
    throw new UsageError('searchPath must name one or more schemas', { hint: 'for example "tenant_42" or "tenant_42, public"' });
  }
}

/** An embedded engine that lacks an extension the files create: every such CREATE EXTENSION, before anything runs. */
export function assertExtensionsAvailable(driver: Driver, uses: readonly ExtensionUse[]): void {
  const missing = driver.supportsExtension ? uses.filter((u) => !driver.supportsExtension!(u.name)) : [];
  if (missing.length === 0) return;
  throw new InputError(missing.map((u) => ({
    severity: 'error' as const, code: 'extension-unavailable', position: u.position,
    message: `extension "${u.name}" is not available on ${driver.display}`,
    hint: 'the embedded PostgreSQL (PGlite) ships only some extensions; run against a server: --db postgres://USER@HOST:5432/DATABASE',
  })));
}

/** --single-transaction: every file must run inside the run's one transaction, and need nothing around its own. */
export function assertAllTransactional(steps: readonly Step[], atomic: (step: Step) => boolean): void {
  // SQLite turns foreign keys off only between transactions, so a foreign-keys: off file needs its own.
  const offenders = steps.filter((s) => !atomic(s) || !s.migration!.foreignKeys);
  if (offenders.length === 0) return;
  throw new InputError(offenders.map(({ migration: m }) => ({
    severity: 'error' as const, code: 'single-transaction', position: { path: m!.path, line: 1, column: 1 },
    message: !m!.transactional ? `"${m!.name}" has "transaction: off" and cannot run inside --single-transaction`
      : !m!.foreignKeys ? `"${m!.name}" has "foreign-keys: off" and cannot run inside --single-transaction`
        : `"${m!.name}" holds DDL, which this engine commits implicitly: it cannot run inside --single-transaction`,
    hint: 'run without --single-transaction, or apply this file in a separate run',
  })));
}
