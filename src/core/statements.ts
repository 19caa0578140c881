// Splits a run of tokens into statements, as psql does, and recognises transaction control.
import { isSignificant, type Token } from './lexer.js';

/** One statement: text[start, end) without its terminating semicolon; tokens[first, last) are its tokens. */
export interface Statement {
  start: number;
  end: number;
  first: number;
  last: number;
}

/**
 * Whether a statement's first words (lower-cased, up to four) open a compound statement, whose
 * `BEGIN … END` body holds semicolons of its own: a dialect's rule (see core/dialect.ts).
 */
export type CompoundStart = (lead: readonly string[]) => boolean;

/**
 * Splits tokens[from, to) at top-level semicolons: outside parentheses, as psql does (a rule's
 * `DO ALSO (INSERT …; UPDATE …)` is one statement). Inside a compound statement (PostgreSQL's
 * `CREATE FUNCTION … BEGIN ATOMIC … END`, SQLite's `CREATE TRIGGER … BEGIN … END`) count BEGIN/CASE
 * against END at parenthesis depth 0, as psql does, so that the body stays one statement.
 * Comment-only pieces are dropped.
 */
export function splitStatements(
  text: string, tokens: readonly Token[], from = 0, to = tokens.length, compound: CompoundStart = isPgRoutineStart,
): Statement[] {
  const statements: Statement[] = [];
  let first = -1, words = 0, routine = false, parens = 0, blocks = 0;
  const lead: string[] = [];

  const close = (end: number) => {
    if (first !== -1) {
      let lastSignificant = end - 1;
      while (!isSignificant(tokens[lastSignificant])) lastSignificant--;
      statements.push({ start: tokens[first].start, end: tokens[lastSignificant].end, first, last: end });
    }
    first = -1; words = 0; routine = false; parens = 0; blocks = 0; lead.length = 0;
  };

  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (!isSignificant(t)) continue;
    if (t.kind === 'semicolon' && blocks === 0 && parens === 0) { close(i); continue; }
    if (first === -1) first = i;
    if (t.kind === 'open-paren') parens++;
    else if (t.kind === 'close-paren') parens = Math.max(0, parens - 1);
    else if (t.kind === 'word') {
      // Only the first words and a compound body's words are read: most words of a statement are neither.
      if (words >= 4 && !(routine && parens === 0)) { words++; continue; }
      const w = text.slice(t.start, t.end).toLowerCase();
      if (words < 4) {
        lead.push(w);
        routine ||= compound(lead);
      }
      words++;
      if (routine && parens === 0) {
        if (w === 'begin') blocks++;
        else if (w === 'case' && blocks > 0) blocks++;
        else if (w === 'end' && blocks > 0) blocks--;
      }
    }
  }
  close(to);
  return statements;
}

/** PostgreSQL: `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, whose SQL-standard body is `BEGIN ATOMIC … END`. */
export function isPgRoutineStart(lead: readonly string[]): boolean {
  if (lead[0] !== 'create') return false;
  const kind = lead[1] === 'or' && lead[2] === 'replace' ? lead[3] : lead[1];
  return kind === 'function' || kind === 'procedure';
}

/**
 * The first `count` words of a statement, lower-cased (comments and the marks of MySQL's executable
 * comments skipped — `/*!40101 SET … *\/` starts with SET —, other tokens stop the scan).
 */
export function leadingWords(text: string, tokens: readonly Token[], statement: Statement, count: number): string[] {
  const words: string[] = [];
  for (let i = statement.first; i < statement.last && words.length < count; i++) {
    const t = tokens[i];
    if (!isSignificant(t) || t.kind === 'executable-comment-start' || t.kind === 'executable-comment-end') continue;
    if (t.kind !== 'word') break;
    words.push(text.slice(t.start, t.end).toLowerCase());
  }
  return words;
}

/**
 * If the statement is transaction control (BEGIN, START TRANSACTION, COMMIT [AND CHAIN], END, ROLLBACK,
 * ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION), returns its keyword, upper-cased.
 */
export function transactionControl(words: readonly string[]): string | undefined {
  const [w0, w1] = words;
  switch (w0) {
    case 'begin':
      return w1 === 'atomic' ? undefined : 'BEGIN';
    case 'start':
      return w1 === 'transaction' ? 'START TRANSACTION' : undefined;
    case 'commit':
    case 'end':
    case 'rollback':
    case 'abort':
    case 'savepoint':
    case 'release':
      return w0.toUpperCase();
    case 'prepare':
      return w1 === 'transaction' ? 'PREPARE TRANSACTION' : undefined;
    default:
      return undefined;
  }
}

/** Statements that change the catalog and nothing else, by their first word. */
const CATALOG_ONLY = new Set(['create', 'alter', 'drop', 'comment', 'grant', 'revoke']);
/** Words that mean a catalog statement evaluates a query, or makes session state after all. */
const EVALUATES_OR_SESSION = new Set(['select', 'values', 'execute', 'temp', 'temporary', 'pg_temp', 'extension', 'set_config']);
/**
 * In a statement that only stores a definition — a view, a trigger, a rule, a policy — or names
 * privileges (GRANT SELECT, GRANT EXECUTE), a query is not run: only these words still make session state.
 */
const SESSION_ONLY = new Set(['temp', 'temporary', 'pg_temp']);
/** After CREATE [OR REPLACE] [CONSTRAINT | RECURSIVE]: the objects whose queries are stored, not run. */
const STORED_DEFINITIONS = new Set(['view', 'trigger', 'rule', 'policy']);
/** Their lengths: a word of another length is none of them, and need not be lower-cased to be sure. */
const EVALUATES_OR_SESSION_LENGTHS = new Set([...EVALUATES_OR_SESSION].map((w) => w.length));

/**
 * Whether a statement cannot leave state behind in the session (settings, role, temporary objects,
 * prepared statements, cursors): DDL that runs no query of its own — CREATE TABLE, ALTER TABLE … SET
 * DEFAULT, CREATE FUNCTION (the body does not run), CREATE VIEW and CREATE TRIGGER (their queries and
 * functions are stored, not run), GRANT. SET, DML, SELECT, DO, CALL, CREATE TEMP TABLE, CREATE
 * MATERIALIZED VIEW and CREATE TABLE AS SELECT … may, and so does any statement not recognised here.
 * (A function called from an expression that DDL evaluates — an index expression, a USING clause —
 * and that changes settings for the session is not seen.)
 */
export function leavesSessionAlone(text: string, tokens: readonly Token[], statement: Statement): boolean {
  let i = firstSignificant(tokens, statement);
  if (tokens[i]?.kind !== 'word') return false;
  const head = leadingWords(text, tokens, statement, 5);
  if (!CATALOG_ONLY.has(head[0])) return false;
  const watched = storesOnly(head) ? SESSION_ONLY : EVALUATES_OR_SESSION;
  for (i++; i < statement.last; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' || !EVALUATES_OR_SESSION_LENGTHS.has(t.end - t.start)) continue;
    if (watched.has(text.slice(t.start, t.end).toLowerCase())) return false;
  }
  return true;
}

/** The index of a statement's first token that is not a comment (`statement.last` when there is none). */
function firstSignificant(tokens: readonly Token[], statement: Statement): number {
  let i = statement.first;
  while (i < statement.last && !isSignificant(tokens[i])) i++;
  return i;
}

/** GRANT and REVOKE, and CREATE [OR REPLACE] [CONSTRAINT | RECURSIVE] VIEW | TRIGGER | RULE | POLICY. */
function storesOnly(head: readonly string[]): boolean {
  if (head[0] === 'grant' || head[0] === 'revoke') return true;
  if (head[0] !== 'create') return false;
  const kind = head.slice(1).find((w) => !CREATE_MODIFIERS.has(w));
  return kind !== undefined && STORED_DEFINITIONS.has(kind);
}

const CREATE_MODIFIERS = new Set(['or', 'replace', 'constraint', 'recursive']);

/** Values that turn a boolean setting off, as PostgreSQL reads them (bare or quoted). */
const OFF_VALUES = new Set(['off', 'false', 'no', '0']);

/**
 * Whether a statement is `SET [SESSION | LOCAL] standard_conforming_strings { = | TO } off` (or `false`,
 * `no`, `0`, quoted or not). After it the server reads backslashes in '…' strings as escapes, but the
 * lexer, which splits statements and finds markers, keeps reading them with the setting on.
 */
export function disablesStandardStrings(text: string, tokens: readonly Token[], statement: Statement): boolean {
  // Most statements are not SET: look no further than their first word.
  const head = tokens[firstSignificant(tokens, statement)];
  if (head?.kind !== 'word' || head.end - head.start !== 3) return false;
  const parts: Token[] = [];
  for (let i = statement.first; i < statement.last && parts.length <= 5; i++) {
    if (isSignificant(tokens[i])) parts.push(tokens[i]);
  }
  const textOf = (t: Token | undefined) => (t ? text.slice(t.start, t.end).toLowerCase() : '');
  const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && words.includes(textOf(t));
  if (!isWord(parts[0], 'set')) return false;
  if (isWord(parts[1], 'session', 'local')) parts.splice(1, 1);
  if (parts.length !== 4 || !isWord(parts[1], 'standard_conforming_strings')) return false;
  if (!isWord(parts[2], 'to') && !(parts[2].kind === 'operator' && textOf(parts[2]) === '=')) return false;
  const value = parts[3];
  const literal = value.kind === 'string' && textOf(value).startsWith("'") ? textOf(value).slice(1, -1) : textOf(value);
  return (value.kind === 'word' || value.kind === 'number' || value.kind === 'string') && OFF_VALUES.has(literal);
}
