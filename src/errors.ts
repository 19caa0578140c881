// SqlmigError and its subclasses: every failure a user can see, with a stable code and exit code.
import type { Diagnostic, SourcePosition } from './core/diagnostic.js';

/** Process exit codes; part of the public interface (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  sqlFailed: 1,
  invalidInput: 2,
  connection: 3,
  lock: 4,
  integrity: 5,
  pending: 6,
  lintFindings: 7,
  verifyFailed: 8,
  internalError: 70,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface SqlmigErrorOptions {
  hint?: string;
  position?: SourcePosition;
  cause?: unknown;
}

/** The base class: `code` is stable and machine-readable, `exitCode` is what the CLI exits with. */
export class SqlmigError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly position?: SourcePosition;
  /** For a run that failed midway: the steps that did commit before the failure. */
  completed?: readonly { name: string; action: 'deploy' | 'revert'; durationMs?: number }[];

  constructor(code: string, exitCode: ExitCode, message: string, options: SqlmigErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.position = options.position;
  }
}

/** Invalid input (files, names, options): carries every problem found, reported together. Exit 2. */
export class InputError extends SqlmigError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[], message?: string) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super('invalid-input', ExitCode.invalidInput, message ?? `${errors} error${errors === 1 ? '' : 's'} in the input`);
    this.diagnostics = diagnostics;
  }
}

/** A usage mistake on the command line or in the config (one problem). Exit 2. */
export class UsageError extends SqlmigError {
  constructor(message: string, options: SqlmigErrorOptions = {}) {
    super('usage', ExitCode.invalidInput, message, options);
  }
}

/** The database cannot be reached, refuses us, or denies what sqlmig itself needs (its history). Exit 3. */
export class ConnectionError extends SqlmigError {
  constructor(message: string, options: SqlmigErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'connection', ExitCode.connection, message, options);
  }
}

/** The migration lock was not obtained within --lock-wait, or was lost. Exit 4. */
export class LockError extends SqlmigError {
  constructor(message: string, options: SqlmigErrorOptions = {}) {
    super('lock', ExitCode.lock, message, options);
  }
}

/** The history and the files disagree (drift, missing file, failed migration). Exit 5. */
export class IntegrityError extends SqlmigError {
  readonly diagnostics: Diagnostic[];
  constructor(code: string, message: string, diagnostics: Diagnostic[] = [], options: SqlmigErrorOptions = {}) {
    super(code, ExitCode.integrity, message, options);
    this.diagnostics = diagnostics;
  }
}

/** Details of a failed SQL statement, mapped to the migration file. */
export interface SqlFailureDetails {
  /** The migration and what ran: its deploy, verify or revert section. */
  migration: string;
  section: 'deploy' | 'verify' | 'revert';
  /** The database's own message. */
  serverMessage: string;
  sqlstate?: string;
  /** The engine's own error code where it has no SQLSTATE (SQLite: `SQLITE_CONSTRAINT_UNIQUE`). */
  code?: string;
  detail?: string;
  /** The server's own hint (the error's `hint` is sqlmig's). */
  serverHint?: string;
  /** Lines of the file around the position, with a caret. */
  codeFrame?: string;
  /** The 1-based statement of the section that failed. */
  statement?: number;
  /** False for a `transaction: off` file: statements before the failing one stay applied. */
  transactional: boolean;
}

/** A migration's SQL failed; its transaction was rolled back (or, outside one, the file marked failed). Exit 1. */
export class MigrationError extends SqlmigError {
  readonly details: SqlFailureDetails;
  constructor(message: string, details: SqlFailureDetails, options: SqlmigErrorOptions = {}) {
    super('sql-failed', ExitCode.sqlFailed, message, options);
    this.details = details;
  }
}

/** The run was stopped by SIGINT (exit 130) or SIGTERM (exit 143) after rolling back and releasing the lock. */
export class InterruptedError extends SqlmigError {
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super('interrupted', signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated,
      `interrupted by ${signal}: the running migration was rolled back and the lock released`);
  }
}
