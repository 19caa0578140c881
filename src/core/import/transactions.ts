// What an imported script does about transactions: the BEGIN … COMMIT it wraps itself in, and statements no transaction may hold.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { leadingWords, type Statement } from '../statements.js';
import { note, textOf, type SourceLines } from './compose.js';

export interface ScriptTransactions {
  /** The script without the BEGIN and COMMIT (or ROLLBACK) it wrapped itself in, when it did. */
  lines: SourceLines;
  /** The script wrapped itself in BEGIN … COMMIT, which sqlmig now does. */
  unwrapped: boolean;
  /** Transaction control left in the middle (several transactions, a SAVEPOINT): only `transaction: off` runs it as written. */
  control?: { keyword: string; line: number };
  /** A statement that cannot run inside a transaction (CREATE INDEX CONCURRENTLY, VACUUM), with its line. */
  outsideOnly?: { statement: string; line: number };
}

/**
 * Scripts of tools that do not own the transaction (sqitch, golang-migrate) often open and close their
 * own. sqlmig owns it, so a leading BEGIN (or START TRANSACTION) and a final COMMIT — a final ROLLBACK
 * for sqitch's verify scripts — are dropped, line and all. Other transaction control stays, and says so.
 */
export function scriptTransactions(source: SourceLines, dialect: Dialect): ScriptTransactions {
  const text = textOf(source);
  const { tokens } = dialect.tokenize(text);
  const statements = dialect.splitStatements(text, tokens);
  const keyword = (s: Statement) => dialect.transactionControl(leadingWords(text, tokens, s, 3));
  const lineOf = (offset: number) => source.lines[countNewlines(text, offset)]?.line ?? 1;
  const first = statements[0];
  const last = statements[statements.length - 1];
  const wrapped = statements.length >= 2 && ['BEGIN', 'START TRANSACTION'].includes(keyword(first) ?? '')
    && ['COMMIT', 'END', 'ROLLBACK'].includes(keyword(last) ?? '');
  const inner = wrapped ? statements.slice(1, -1) : statements;
  const result: ScriptTransactions = { lines: source, unwrapped: false };
  const control = inner.find((s) => keyword(s) !== undefined);
  if (control) result.control = { keyword: keyword(control)!, line: lineOf(control.start) };
  const outside = inner.find((s) => outsideOnly(leadingWords(text, tokens, s, 5)));
  if (outside) result.outsideOnly = { statement: statementKind(leadingWords(text, tokens, outside, 5)), line: lineOf(outside.start) };
  if (!wrapped || control) return result;
  // Blank the two statements (and their semicolons), then drop the lines that held nothing else.
  const semicolonAfter = (s: Statement) => (tokens[s.last]?.kind === 'semicolon' ? tokens[s.last].end : s.end);
  const cuts = [[first.start, semicolonAfter(first)], [last.start, semicolonAfter(last)]];
  let blanked = text;
  for (const [start, end] of cuts.reverse()) blanked = blanked.slice(0, start) + blanked.slice(start, end).replace(/[^\n]/g, ' ') + blanked.slice(end);
  const after = blanked.split('\n');
  const lines: SourceLines['lines'] = [];
  let dropped = false;
  for (const [i, l] of source.lines.entries()) {
    const kept = after[i].trimEnd();
    if (kept === '' && l.text.trim() !== '') { dropped = true; continue; }
    // A blank line on each side of a dropped BEGIN; becomes one.
    if (kept === '' && dropped && lines.length > 0 && lines[lines.length - 1].text === '') continue;
    dropped = false;
    lines.push({ line: l.line, text: kept });
  }
  return { ...result, lines: { path: source.path, lines }, unwrapped: true };
}

/** `CREATE UNIQUE INDEX CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`: the words that say what the statement is. */
function statementKind(words: readonly string[]): string {
  const upTo = words.indexOf('concurrently');
  return words.slice(0, upTo !== -1 ? upTo + 1 : words[0] === 'vacuum' ? 1 : 2).join(' ').toUpperCase();
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Statements PostgreSQL (and, for VACUUM, SQLite) refuses inside a transaction block: a tool that ran
 * the script without one ran them fine, so the imported file needs `transaction: off`.
 */
function outsideOnly(words: readonly string[]): boolean {
  const [w0, w1, w2, w3] = words;
  if (w0 === 'vacuum' || w0 === 'alter' && w1 === 'system') return true;
  if ((w0 === 'create' || w0 === 'drop') && (w1 === 'database' || w1 === 'tablespace')) return true;
  if (w0 === 'create' && (w1 === 'index' || (w1 === 'unique' && w2 === 'index'))) return words.includes('concurrently');
  if (w0 === 'drop' && w1 === 'index') return w2 === 'concurrently';
  if (w0 === 'reindex') return [w1, w2, w3].includes('concurrently');
  return false;
}

export interface Scripts {
  deploy: SourceLines;
  verify?: SourceLines;
  revert?: SourceLines;
}

/**
 * For tools that leave transactions to the scripts (golang-migrate, sqitch): each script unwrapped, and
 * whether the file can run in sqlmig's one transaction. Transaction control left inside a script, or a
 * statement no transaction may hold, makes it `transaction: off` — said in a warning, since sqlmig then
 * runs it statement by statement and cannot roll it back.
 */
export function unwrapScripts(scripts: Scripts, dialect: Dialect): { scripts: Scripts; transactional: boolean; notes: Diagnostic[] } {
  const notes: Diagnostic[] = [];
  const out: Scripts = { deploy: scripts.deploy };
  let transactional = true;
  for (const kind of ['deploy', 'verify', 'revert'] as const) {
    const source = scripts[kind];
    if (!source) continue;
    const shape = scriptTransactions(source, dialect);
    out[kind] = shape.lines;
    // One reason is enough: the file is off as a whole.
    if (!transactional) continue;
    if (shape.control) {
      transactional = false;
      notes.push(note('warning', 'import-transaction-control', source.path, shape.control.line,
        `${shape.control.keyword} inside the script: the file gets "transaction: off" and runs statement by statement, as written`,
        'if the script needs no transaction of its own, remove its transaction control and the "transaction: off" line'));
    } else if (shape.outsideOnly) {
      transactional = false;
      notes.push(note('warning', 'import-outside-transaction', source.path, shape.outsideOnly.line,
        `${shape.outsideOnly.statement} cannot run inside a transaction: the file gets "transaction: off"`,
        'sqlmig then runs it statement by statement; keep such a statement in a file of its own'));
    }
  }
  return { scripts: out, transactional, notes };
}

/**
 * The first statement of these scripts that no transaction may hold, where it is. Flyway finds such
 * statements itself and runs the migration outside a transaction, so its imported file needs `transaction: off`.
 */
export function outsideOnlyStatement(scripts: readonly (SourceLines | undefined)[], dialect: Dialect): { statement: string; path: string; line: number } | undefined {
  for (const source of scripts) {
    const found = source && scriptTransactions(source, dialect).outsideOnly;
    if (found) return { ...found, path: source.path };
  }
  return undefined;
}
