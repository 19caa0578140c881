// verify's two classes of difference: breaking (the schema does something else) or cosmetic (column order, a comment, formatting).
import { significantCode } from './checksum.js';
import type { Dialect } from './dialect.js';
import type { Token } from './lexer.js';
import { isSignificant } from './lexer.js';
import { changedFields, type SnapshotDifference } from './snapshot.js';

export type DifferenceClass = 'breaking' | 'cosmetic';

/**
 * How one field changed: `column-order` (a column's place among its table's columns), `comment`,
 * `formatting` (whitespace or comments inside code, its tokens the same), or `changed` — breaking.
 */
export type FieldChangeKind = 'column-order' | 'comment' | 'formatting' | 'changed';

export interface FieldChange {
  field: string;
  kind: FieldChangeKind;
}

export interface ClassifiedDifference extends SnapshotDifference {
  class: DifferenceClass;
  /** For a change: each field that differs, and how. */
  fields?: FieldChange[];
}

/** Fields that hold code: a function's or trigger's body, a view's query, a definition as written. */
const CODE_FIELDS = new Set(['body', 'definition']);

/**
 * Breaking: an object missing or left over, or any change but these; cosmetic: a change only of
 * column order, comments, or whitespace and comments inside code (read with the engine's dialect, so
 * that whitespace inside a string literal still counts).
 */
export function classifyDifference(d: SnapshotDifference, dialect: Dialect): ClassifiedDifference {
  if (d.change !== 'changed') return { ...d, class: 'breaking' };
  const fields = changedFields(d.before!, d.after!).map((field) => ({
    field, kind: fieldChangeKind(d.object, field, d.before![field], d.after![field], dialect),
  }));
  return { ...d, class: fields.every((f) => f.kind !== 'changed') ? 'cosmetic' : 'breaking', fields };
}

function fieldChangeKind(object: string, field: string, before: string | undefined, after: string | undefined, dialect: Dialect): FieldChangeKind {
  if (field === 'position') return 'column-order';
  if (field === 'comment') return 'comment';
  if (CODE_FIELDS.has(field) && before !== undefined && after !== undefined) {
    const a = codeOf(before, dialect), b = codeOf(after, dialect);
    if (a && b && a.code === b.code) return 'formatting';
    // An engine that keeps a table's text (SQLite) moves a re-added column to its end.
    if (a && b && object.startsWith('table ') && sameElements(a, b)) return 'column-order';
  }
  return 'changed';
}

interface Code {
  text: string;
  tokens: Token[];
  /** The tokens without comments and whitespace (core/checksum.ts). */
  code: string;
}

/** The code's tokens; undefined when it does not lex (an unterminated string): then it compares as changed. */
function codeOf(text: string, dialect: Dialect): Code | undefined {
  const { tokens, problems } = dialect.tokenize(text);
  if (problems.length > 0) return undefined;
  const significant = tokens.filter(isSignificant);
  return { text, tokens: significant, code: significantCode(text, significant) };
}

/** Same text around the first parenthesised list, and the same items in it in any order: `t (a, b)` and `t (b, a)`. */
function sameElements(a: Code, b: Code): boolean {
  const x = elementsOf(a), y = elementsOf(b);
  if (!x || !y || x.around !== y.around) return false;
  return x.items.sort().join('\n') === y.items.sort().join('\n');
}

function elementsOf({ text, tokens }: Code): { around: string; items: string[] } | undefined {
  const open = tokens.findIndex((t) => t.kind === 'open-paren');
  if (open < 0) return undefined;
  const items: string[] = [];
  let depth = 0, start = open + 1;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'open-paren') depth++;
    else if (t.kind === 'close-paren' && --depth === 0) {
      items.push(significantCode(text, tokens.slice(start, i)));
      const around = `${significantCode(text, tokens.slice(0, open))} () ${significantCode(text, tokens.slice(i + 1))}`;
      return { around, items };
    } else if (depth === 1 && t.kind === 'operator' && text.slice(t.start, t.end) === ',') {
      items.push(significantCode(text, tokens.slice(start, i)));
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * The table a column belongs to, from the column's key (`column app."my.table".id` -> `app."my.table"`):
 * everything before the last dot outside double quotes.
 */
export function tableOfColumn(key: string): string | undefined {
  if (!key.startsWith('column ')) return undefined;
  const name = key.slice('column '.length);
  let quoted = false, lastDot = -1;
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '"') quoted = !quoted;
    else if (name[i] === '.' && !quoted) lastDot = i;
  }
  return lastDot < 0 ? undefined : name.slice(0, lastDot);
}
