// The Migration type: one parsed file, the unit that sqlmig orders, applies and reverts.

/** A section of a migration file: its SQL and where it starts in the file (UTF-16 offset of `Migration.text`). */
export interface Section {
  sql: string;
  offset: number;
  /** Its statements, as the parser split them (so that a run does not lex the file again). */
  statements?: readonly SectionStatement[];
}

/** One statement of a section: `sql.slice(start, end)`, without its terminator. */
export interface SectionStatement {
  start: number;
  end: number;
  /** It cannot leave state in the session (see `leavesSessionAlone`): no reset is due after it. */
  leavesSessionAlone: boolean;
}

/** One `requires` entry, with where it is written (for error messages). */
export interface Requirement {
  name: string;
  line: number;
  column: number;
}

export interface Migration {
  /** Path relative to the migrations folder, without `.sql`, `/`-separated, NFC. */
  name: string;
  /** The file's path as shown to the user (the folder as given, joined with the relative path). */
  path: string;
  /** The file's text, normalised: no BOM, LF newlines. Offsets of sections refer to it. */
  text: string;
  requires: Requirement[];
  /** False for `-- transaction: off`: run statement by statement, outside a transaction. */
  transactional: boolean;
  /**
   * False for `-- foreign-keys: off` (SQLite): foreign keys are not enforced while the step runs, and
   * checked before it commits (table rebuilds).
   */
  foreignKeys: boolean;
  /** Lint rules this file opts out of (`-- allow: drop-column`). */
  allow: string[];
  deploy: Section;
  verify?: Section;
  /** Absent when the file has no `-- revert:` marker: the migration is irreversible. */
  revert?: Section;
  /** sha256 of the `transaction` directive and the deploy section's code (core/checksum.ts); changing either after apply is drift. */
  checksum: string;
}

export function requiredNames(migration: Pick<Migration, 'requires'>): string[] {
  return migration.requires.map((r) => r.name);
}
