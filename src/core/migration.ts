// The Migration type: one parsed file, the unit that sqlmig orders, applies and reverts.

/** A section of a migration file: its SQL and where it starts in the file (UTF-16 offset of `Migration.text`). */
export interface Section {
  sql: string;
  offset: number;
  /** Its statements, as the parser split them (so that a run does not lex the file again). */
  statements?: readonly SectionStatement[];
  /**
   * Where variables were substituted into `sql` (core/variables.ts), in order: `sql` then differs from
   * the file's text, and `fileOffsetOf` maps its offsets back. Absent: `sql` is the file's text.
   */
  substitutions?: readonly Substitution[];
}

/** One statement of a section: `sql.slice(start, end)`, without its terminator. */
export interface SectionStatement {
  start: number;
  end: number;
  /** It cannot leave state in the session (see `leavesSessionAlone`): no reset is due after it. */
  leavesSessionAlone: boolean;
}

/** One variable substituted: the placeholder at [start, end) of the file's section, the value at [sentStart, sentEnd) of the SQL sent. */
export interface Substitution {
  name: string;
  start: number;
  end: number;
  sentStart: number;
  sentEnd: number;
}

/** One `requires` entry, with where it is written (for error messages). */
export interface Requirement {
  name: string;
  line: number;
  column: number;
}

/** A variable the file declares (`-- vars: app_schema`), with where it is declared. */
export interface VariableDeclaration {
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
  /** `-- repeatable: yes`: re-applied whenever its checksum differs from the one last applied, never drifted. */
  repeatable: boolean;
  /** Variables substituted in this file (`-- vars: a, b`), psql's `:a`, `:'a'` and `:"a"`; no others are. */
  vars: VariableDeclaration[];
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
