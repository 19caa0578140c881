// A failed statement as the user sees it: at its file line and column, with a code frame, what the
// server said, and a hint where the failure has a known cure.
import type { Step } from './core/plan.js';
import type { Section } from './core/migration.js';
import { renderCodeFrame } from './core/render/code-frame.js';
import { filePositionOf } from './core/sql-position.js';
import type { SectionKind } from './core/step-script.js';
import { LineIndex } from './core/text.js';
import { fileOffsetOf } from './core/variables.js';
import type { DatabaseFailure } from './drivers/driver.js';
import { MigrationError } from './errors.js';

/** One statement as sent: its text, how many code points were sent before it in the same query, where it is in its section. */
export interface StatementRun {
  sent: string;
  codePointsBefore: number;
  startInSection: number;
  /** 1-based among the section's statements. */
  number: number;
}

/**
 * The error of a failed statement, at its file line; without `statementRun` the step failed after its
 * statements — when committing (a deferred constraint or trigger) — and the error points at the section.
 */
export function stepFailure(
  step: Step, kind: SectionKind, statementRun: StatementRun | undefined, section: Section | undefined, failure: DatabaseFailure,
  transactional: boolean, cause: unknown,
): MigrationError {
  const { sent = '', codePointsBefore = 0, startInSection = 0, number: statement } = statementRun ?? {};
  const m = step.migration;
  // The server counts from the start of what was sent, BEGIN included when it rode along.
  const inStatement = failure.position === undefined || !statementRun ? undefined : failure.position - codePointsBefore;
  let position, codeFrame;
  if (m && section && inStatement !== undefined && inStatement > 0) {
    const at = filePositionOf(m, section, sent, startInSection, inStatement);
    position = { path: m.path, line: at.line, column: at.column };
    codeFrame = renderCodeFrame(m.text, at.line, at.column);
  } else if (m && section) {
    position = { path: m.path, ...new LineIndex(m.text).position(fileOffsetOf(section, startInSection)) };
  }
  const where = kind === 'deploy' ? '' : ` (${kind} section)`;
  const when = statementRun ? '' : ' (when committing)';
  return new MigrationError(`${step.name}${where}: ${failure.message}${when}`, {
    migration: step.name, section: kind, serverMessage: failure.message, sqlstate: failure.sqlstate, code: failure.code, detail: failure.detail,
    serverHint: failure.hint, codeFrame, statement, transactional,
  }, { position, hint: hintFor(failure.sqlstate, failure.message, !statementRun), cause });
}

/** What to do about the failures that have a known cure: timeouts, and statements that refuse a transaction. */
function hintFor(sqlstate: string | undefined, message: string, atCommit = false): string | undefined {
  if (atCommit) {
    return 'every statement ran, but recording and committing the migration failed (deferred constraints and triggers fire at COMMIT): nothing of it was applied';
  }
  // PostgreSQL's SQLSTATE; SQLite says "cannot VACUUM from within a transaction".
  if (sqlstate === '25001' || /^cannot [\w ]+ from within a transaction/i.test(message)) {
    return 'add "-- transaction: off" to the file header: the file then runs statement by statement, outside a transaction';
  }
  if (sqlstate === '55P03' && /lock timeout/i.test(message)) {
    return 'the migration waited longer than --lock-timeout for a lock held by another session (it was rolled back); retry when the database is quieter, or raise --lock-timeout';
  }
  if (sqlstate === '57014' && /statement timeout/i.test(message)) {
    return 'a statement ran longer than --statement-timeout (it was rolled back); raise --statement-timeout for this run';
  }
  // MySQL and MariaDB (errno 1205; 1969 and 3024): their SQLSTATEs are shared with other errors.
  if (/^Lock wait timeout exceeded/.test(message)) {
    return 'the migration waited longer than --lock-timeout for a lock held by another session; retry when the database is quieter, or raise --lock-timeout';
  }
  if (/max_statement_time exceeded|maximum statement execution time exceeded/.test(message)) {
    return 'a statement ran longer than --statement-timeout; raise --statement-timeout for this run';
  }
  return undefined;
}
