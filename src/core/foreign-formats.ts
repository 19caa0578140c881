// Other migration tools' markers and file names, recognised so that their files fail loudly instead of running wrong.

/** A line or a file written for another tool: what it is, and how to make it sqlmig's. */
export interface ForeignFinding {
  tool: string;
  message: string;
  hint: string;
}

/** sqlmig's format, said in every hint so that one message is enough to convert a file. */
const FORMAT = 'up SQL first, then a line "-- revert:", then the down SQL';

type MarkerRole = 'up' | 'down' | 'statement' | 'no-transaction' | 'other';

interface ToolMarker {
  tool: string;
  /** Matches the whole comment; group 1 is the annotation after the tool's prefix. */
  pattern: RegExp;
  role(annotation: string): { role: MarkerRole; noTransaction: boolean };
}

/** Annotations compared without case or spaces: `StatementBegin`, `statement begin`, `NO TRANSACTION`. */
const squash = (s: string) => s.toLowerCase().replace(/[ \t]+/g, '');

const TOOL_MARKERS: ToolMarker[] = [
  {
    // dbmate: `-- migrate:up`, `-- migrate:down`, options after whitespace (`transaction:false`).
    // As in dbmate, any text after the direction counts: `-- migrate:up to v3` is still its marker.
    tool: 'dbmate',
    pattern: /^--[ \t]*migrate[ \t]*:[ \t]*((?:up|down)(?![\p{L}\p{N}_]).*)$/iu,
    role: (a) => ({
      role: a.toLowerCase().startsWith('up') ? 'up' : 'down',
      noTransaction: /(^|[ \t])transaction[ \t]*:[ \t]*false\b/i.test(a),
    }),
  },
  {
    // goose: every `-- +goose …` annotation (Up, Down, StatementBegin/End, NO TRANSACTION, ENVSUB).
    tool: 'goose',
    pattern: /^--[ \t]*\+goose(?![\p{L}\p{N}_])[ \t]*(.*)$/iu,
    role: (a) => roleOf(squash(a)),
  },
  {
    // sql-migrate: `-- +migrate Up [notransaction]`, `Down`, `StatementBegin/End`.
    tool: 'sql-migrate',
    pattern: /^--[ \t]*\+migrate(?![\p{L}\p{N}_])[ \t]*(.*)$/iu,
    role: (a) => roleOf(squash(a)),
  },
];

function roleOf(annotation: string): { role: MarkerRole; noTransaction: boolean } {
  const noTransaction = annotation.endsWith('notransaction');
  if (annotation === 'notransaction') return { role: 'no-transaction', noTransaction };
  if (annotation.startsWith('up')) return { role: 'up', noTransaction };
  if (annotation.startsWith('down')) return { role: 'down', noTransaction };
  if (annotation === 'statementbegin' || annotation === 'statementend') return { role: 'statement', noTransaction };
  return { role: 'other', noTransaction };
}

/** The other tool whose up/down marker a line comment (`--` at its start) is, if any. */
export function foreignMarkerOf(comment: string): ForeignFinding | undefined {
  const text = comment.trimEnd();
  for (const marker of TOOL_MARKERS) {
    const m = marker.pattern.exec(text);
    if (!m) continue;
    const { tool } = marker;
    const { role, noTransaction } = marker.role(m[1]);
    const convert = `this is a ${tool} file: ${importCommand(tool)}; by hand, in sqlmig's format (${FORMAT})`;
    const noTx = noTransaction
      ? `, and write "-- transaction: off" in the header (${tool} ran this file outside a transaction)` : '';
    const hints: Record<MarkerRole, string> = {
      up: `${convert}, delete this line${noTx}`,
      down: `${convert}, replace this line with "-- revert:"${noTx}`,
      statement: `${convert}, delete this line: sqlmig splits statements itself and keeps dollar-quoted bodies whole`,
      'no-transaction': `${convert}, replace this line with "-- transaction: off" in the header`,
      other: `${convert}, delete this line: sqlmig does not read ${tool} annotations`,
    };
    const consequence = role === 'down' ? ': sqlmig would read it as a comment and run the down SQL during up' : ', not sqlmig\'s';
    return { tool, message: `"${text}" is a ${tool} marker${consequence}`, hint: hints[role] };
  }
  return undefined;
}

/** The command that converts a whole folder of the tool's files (and, with --db, adopts its history). */
function importCommand(tool: string): string {
  return `convert its folder with "sqlmig import --from ${tool.toLowerCase()} FOLDER"`;
}

/** golang-migrate: `1_users.up.sql` and `1_users.down.sql`. */
const GOLANG_MIGRATE = /^(.+)\.(up|down)\.sql$/i;
/** diesel: `up.sql` and `down.sql` in a `<version>_<name>/` folder (`2024-01-31-120000_users/`). */
const DIESEL_FILE = /^(up|down)\.sql$/i;
const DIESEL_FOLDER = /^\d[\d-]*_./;
/** Flyway: `V1__x.sql`, `V1.2__x.sql`, `V1_2__x.sql`, `U1__x.sql` (undo), `R__x.sql` (repeatable). */
const FLYWAY = /^(?:([VU])(\d+(?:[._]\d+)*)|R)__.+\.sql$/;

/** The other tool a migration file's path (relative to the folder, `/`-separated) was named for, if any. */
export function foreignFileOf(relativePath: string): ForeignFinding | undefined {
  const segments = relativePath.split('/');
  const file = segments[segments.length - 1];
  const folder = segments[segments.length - 2];

  const golang = GOLANG_MIGRATE.exec(file);
  if (golang) {
    const [, stem, direction] = golang;
    const down = direction.toLowerCase() === 'down';
    return {
      tool: 'golang-migrate',
      message: `"${file}" is a golang-migrate ${down ? 'down' : 'up'} file: sqlmig would `
        + `${down ? 'run it during up, as' : 'apply it as'} a migration of its own`,
      hint: `${importCommand('golang-migrate')}; by hand, merge the pair into one file in sqlmig's format, ${stem}.sql: the SQL of ${stem}.up.sql, `
        + `then a line "-- revert:", then the SQL of ${stem}.down.sql (golang-migrate wraps no transaction around a `
        + 'file: if it relies on that, write "-- transaction: off" in the header)',
    };
  }
  const diesel = DIESEL_FILE.exec(file);
  if (diesel && folder !== undefined && DIESEL_FOLDER.test(folder)) {
    return {
      tool: 'diesel',
      message: `"${folder}/${file}" is a diesel migration: sqlmig would apply up.sql and down.sql as migrations of their own`,
      hint: `${importCommand('diesel')}; by hand, merge the folder into one file in sqlmig's format, ${folder}.sql: the SQL of up.sql, then a line `
        + '"-- revert:", then the SQL of down.sql (and "-- transaction: off" in the header if metadata.toml says '
        + 'run_in_transaction = false)',
    };
  }
  const flyway = FLYWAY.exec(file);
  if (flyway) {
    const [, prefix, version] = flyway;
    if (prefix === 'V') {
      return {
        tool: 'Flyway',
        message: `"${file}" is a Flyway versioned migration: sqlmig orders files by name, not by Flyway version`,
        hint: `${importCommand('Flyway')}; by hand, convert it to sqlmig's format: its SQL, then a line "-- revert:", then the SQL of U${version}__… if there `
          + 'is one; rename it so that names sort in version order (by name, V10__ comes before V2__); write '
          + '"-- transaction: off" in the header where Flyway ran it with executeInTransaction=false',
      };
    }
    if (prefix === 'U') {
      return {
        tool: 'Flyway',
        message: `"${file}" is a Flyway undo migration: sqlmig would run it during up, as a migration of its own`,
        hint: `${importCommand('Flyway')}; by hand, move its SQL into the matching V${version}__… file, below that file's SQL after a line "-- revert:" `
          + '(sqlmig\'s format), then delete it',
      };
    }
    return {
      tool: 'Flyway',
      message: `"${file}" is a Flyway repeatable migration: sqlmig marks a repeatable file in its header, not in its name`,
      hint: `${importCommand('Flyway')}; by hand, rename it without the R__ prefix and write it in sqlmig's format: `
        + '"-- repeatable: yes" in the header (with "-- requires:" naming the files that create what it reads), its SQL, '
        + 'then a line "-- revert:" and the SQL that undoes it',
    };
  }
  return undefined;
}
