// MySQL's lexical corners: the mysql client's DELIMITER lines and commands, `--` comments, `/*! … */` SQL.
import type { LexProblem, Token } from './lexer.js';
import type { Statement } from './statements.js';

/** Whether only blanks stand between the start of its line and `offset`. */
export function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The offset of the end of the line holding `offset` (its newline, or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const eol = text.indexOf('\n', offset);
  return eol === -1 ? text.length : eol;
}

/**
 * Whether the `--` at i starts a comment: in MySQL only when whitespace, a control character or the end
 * of the text follows, so that `SELECT 1--1` is arithmetic.
 */
export function isDashComment(text: string, i: number): boolean {
  const c = text.charCodeAt(i + 2);
  return Number.isNaN(c) || c <= 32;
}

/** What follows `--` on a line meant as a comment: a word, more dashes, a banner (`--====`, `--**`). */
const COMMENT_LIKE = /[\p{L}\-=*#]/u;

/**
 * `--x` at the start of a line: meant as a comment, but MySQL reads two minus signs and sends the line
 * to the server — a `--revert:` line would open no section, a `--requires:` line would be SQL.
 */
export function dashCommentProblem(text: string, i: number): LexProblem | undefined {
  if (!atLineStart(text, i) || !COMMENT_LIKE.test(text.charAt(i + 2))) return undefined;
  return {
    code: 'dash-comment-without-space', offset: i, message: 'in MySQL, "--" starts a comment only before a space',
    hint: 'write "-- " with a space (or start the comment with #): as written, the server reads two minus signs followed by SQL',
  };
}

/** `/*!`, `/*!50003` (from that server version on), MariaDB's `/*M!100100`: SQL, not a comment. */
const EXECUTABLE_OPENER = /\/\*M?!\d{0,6}/y;

/** If an executable comment opens at i, the offset just after its opener (version included); else -1. */
export function executableCommentOpener(text: string, i: number): number {
  EXECUTABLE_OPENER.lastIndex = i;
  return EXECUTABLE_OPENER.test(text) ? EXECUTABLE_OPENER.lastIndex : -1;
}

/** A mysql client command found by the tokenizer: a DELIMITER line, or a command that is not SQL. */
export interface ClientCommand {
  kind: 'delimiter-command' | 'client-command';
  /** The command covers the rest of its line: text[start, end). */
  end: number;
  /** The terminator a valid DELIMITER line sets. */
  delimiter?: string;
  problem?: LexProblem;
}

type Hint = 'source' | 'exit' | 'go' | 'other';

const HINTS: Record<Hint, string> = {
  source: 'sqlmig sends SQL to the server and reads no other file: put that SQL in a migration of its own and name it in "-- requires:"',
  exit: 'remove it: a migration ends where its file (or its section) ends',
  go: 'end the statement with ; (or with the delimiter a DELIMITER line set)',
  other: 'remove it: sqlmig sends each statement to the server itself, not through the mysql client',
};

/**
 * The mysql client's named commands, which it reads at the start of a line when no statement is
 * pending (`help` and `use` are left out: the server runs them as SQL), and whether they take an argument.
 */
const NAMED_COMMANDS: ReadonlyMap<string, { args: boolean; hint: Hint }> = new Map([
  ['source', { args: true, hint: 'source' }], ['system', { args: true, hint: 'other' }],
  ['exit', { args: false, hint: 'exit' }], ['quit', { args: false, hint: 'exit' }],
  ['go', { args: false, hint: 'go' }], ['ego', { args: false, hint: 'go' }],
  ['connect', { args: true, hint: 'other' }], ['charset', { args: true, hint: 'other' }],
  ['tee', { args: true, hint: 'other' }], ['notee', { args: false, hint: 'other' }],
  ['pager', { args: true, hint: 'other' }], ['nopager', { args: false, hint: 'other' }],
  ['prompt', { args: true, hint: 'other' }], ['print', { args: false, hint: 'other' }],
  ['rehash', { args: false, hint: 'other' }], ['status', { args: false, hint: 'other' }],
  ['warnings', { args: false, hint: 'other' }], ['nowarning', { args: false, hint: 'other' }],
  ['clear', { args: false, hint: 'other' }], ['edit', { args: false, hint: 'other' }],
  ['resetconnection', { args: false, hint: 'other' }],
]);

/** Backslash commands by their letter, where the hint differs from the general one. */
const BACKSLASH_HINTS: Record<string, Hint> = { '.': 'source', q: 'exit', g: 'go', G: 'go' };

const LEADING_WORD = /[A-Za-z]+/y;

/**
 * The mysql client command at i, if one stands there. A backslash outside quotes is always one (`\G`,
 * `\.`, `\q`…), except `\N`, which the client passes on as NULL. A line `DELIMITER x` is one wherever
 * it stands, as in the client (an invalid one only where no statement is pending). A named command (`source file`, `exit`) is one at the
 * start of a line where no statement is pending, and not when a label's colon follows (`status: LOOP`).
 */
export function clientCommandAt(text: string, i: number, statementStart: boolean): ClientCommand | undefined {
  if (text.charCodeAt(i) === 92) {
    const letter = text.charAt(i + 1);
    if (letter === 'N') return undefined;
    const hint = HINTS[BACKSLASH_HINTS[letter] ?? 'other'];
    return { kind: 'client-command', end: lineEnd(text, i), problem: notSql(`\\${letter}`, i, hint) };
  }
  // Checked before the line's end is looked for: this runs for every word.
  if (!atLineStart(text, i)) return undefined;
  LEADING_WORD.lastIndex = i;
  const word = LEADING_WORD.exec(text)?.[0];
  if (!word) return undefined;
  const end = lineEnd(text, i);
  const rest = text.slice(i + word.length, end);
  if (rest !== '' && !/^[ \t;]/.test(rest)) return undefined;
  const name = word.toLowerCase();
  if (name === 'delimiter') return delimiterCommand(text, i, end, statementStart);
  const command = NAMED_COMMANDS.get(name);
  const args = rest.trim().replace(/;$/, '').trim();
  if (!command || !statementStart || /^[:=(.,]/.test(args) || (!command.args && args !== '')) return undefined;
  return { kind: 'client-command', end, problem: notSql(name, i, HINTS[command.hint]) };
}

function notSql(command: string, offset: number, hint: string): LexProblem {
  return { code: 'client-command', offset, message: `"${command}" is a mysql client command, not SQL`, hint };
}

/** `DELIMITER x`, then blanks or a comment: group 1 is the delimiter, group 2 what follows it. */
const DELIMITER_LINE = /^delimiter(?:[ \t]+(\S+))?[ \t]*(.*)$/i;

/**
 * The terminator a DELIMITER line sets, as the mysql client reads it: the first word after DELIMITER,
 * without the quotes around it if any; undefined when the line sets none (see `delimiterCommand`).
 */
export function delimiterOf(line: string): string | undefined {
  const m = DELIMITER_LINE.exec(line);
  if (!m || m[1] === undefined || m[1].includes('\\') || !/^(?:$|#|--(?:\s|$))/.test(m[2])) return undefined;
  const quoted = /^(['"`])(.+)\1$/.exec(m[1]);
  return quoted ? quoted[2] : m[1];
}

function delimiterCommand(text: string, i: number, end: number, statementStart: boolean): ClientCommand | undefined {
  const line = text.slice(i, end);
  const delimiter = delimiterOf(line);
  if (delimiter !== undefined) return { kind: 'delimiter-command', end, delimiter };
  // Inside a statement, a line that is no valid DELIMITER command starts with a column named delimiter.
  if (!statementStart) return undefined;
  const m = DELIMITER_LINE.exec(line)!;
  const problem = (message: string, hint: string): ClientCommand =>
    ({ kind: 'delimiter-command', end, problem: { code: 'invalid-delimiter', offset: i, message, hint } });
  if (m[1] === undefined) {
    return problem('DELIMITER without a delimiter', 'write "DELIMITER $$" to end statements with $$, and "DELIMITER ;" to go back to ;');
  }
  if (m[1].includes('\\')) return problem('a delimiter cannot hold a backslash', 'choose another, such as $$ or //');
  return problem(`text after the delimiter "${m[1]}"`, 'a DELIMITER line holds only the word DELIMITER and the delimiter (and perhaps a comment)');
}

/** A DELIMITER line that cannot work, found once the file is split into sections and statements. */
export interface DelimiterProblem {
  code: 'delimiter-inside-statement' | 'delimiter-not-restored';
  offset: number;
  message: string;
  hint: string;
}

/**
 * DELIMITER lines in one section that cannot work: one that ends a statement still unfinished (its
 * terminator forgotten, or a compound statement's END), and, when another section follows, a delimiter
 * other than `;` still in effect at the section's end — each section runs on its own, starting with `;`.
 * `statements` are the section's, split from `tokens`.
 */
export function delimiterProblems(
  text: string, tokens: readonly Token[], statements: readonly Statement[], followed: boolean,
): DelimiterProblem[] {
  const problems: DelimiterProblem[] = [];
  let cut: Set<number> | undefined;
  let delimiter = ';';
  let setAt = -1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'delimiter-command') continue;
    cut ??= new Set(statements.map((s) => s.last));
    if (cut.has(k)) {
      problems.push({
        code: 'delimiter-inside-statement', offset: t.start, message: 'DELIMITER line after an unfinished statement',
        hint: `end the statement above with ${delimiter} (and a compound statement with its END)`,
      });
    }
    delimiter = delimiterOf(text.slice(t.start, t.end)) ?? delimiter;
    setAt = t.start;
  }
  if (followed && delimiter !== ';') {
    problems.push({
      code: 'delimiter-not-restored', offset: setAt, message: `the delimiter ${delimiter} is still in effect where the section ends`,
      hint: 'add a line "DELIMITER ;" before the next marker: each section runs on its own, starting with ; as its delimiter',
    });
  }
  return problems;
}
