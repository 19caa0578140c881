// Header directives (`-- requires: a, b`, `-- transaction: off`, `-- allow: rule`, `-- foreign-keys: off`, `-- repeatable: yes`,
// `-- vars: a, b`) and the section markers.
import { LINT_RULES } from './lint-rules.js';
import { closest } from './strings.js';

export const DIRECTIVE_KEYS = ['requires', 'transaction', 'allow', 'foreign-keys', 'repeatable', 'vars'] as const;
export type DirectiveKey = (typeof DIRECTIVE_KEYS)[number];

/**
 * How far a `-- key:` may be from a known key to count as a misspelling rather than a comment.
 * Two edits for the long keys (`require`, `requries`, `transactions`, `foreign_keys`, `repeatible`); one
 * for `allow` and `vars` (`var`), so that ordinary comments such as `-- Also: …` or `-- Was: …` stay comments.
 */
const MISSPELLING_DISTANCE: Record<DirectiveKey, number> = {
  requires: 2, transaction: 2, allow: 1, 'foreign-keys': 2, repeatable: 2, vars: 1,
};

/** A `-- word: value` comment line, split; offsets are relative to the comment's start. */
export interface KeyedComment {
  key: string;
  value: string;
  keyOffset: number;
  valueOffset: number;
}

const KEYED = /^--[ \t]*([A-Za-z][A-Za-z_-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/d;

export function parseKeyedComment(comment: string): KeyedComment | undefined {
  const m = KEYED.exec(comment);
  if (!m) return undefined;
  return { key: m[1], value: m[2], keyOffset: m.indices![1]![0], valueOffset: m.indices![2]![0] };
}

export function asDirectiveKey(key: string): DirectiveKey | undefined {
  const k = key.toLowerCase();
  return (DIRECTIVE_KEYS as readonly string[]).includes(k) ? (k as DirectiveKey) : undefined;
}

/** The directive key a comment key looks like a misspelling of, if any. */
export function misspeltDirective(key: string): DirectiveKey | undefined {
  const k = key.toLowerCase();
  for (const known of DIRECTIVE_KEYS) {
    if (closest(k, [known], MISSPELLING_DISTANCE[known]) === known) return known;
  }
  return undefined;
}

/**
 * A variable name as psql reads one after `:` — ASCII letters, digits, `_` and any other character
 * beyond ASCII — not starting with a digit (so that `a[1:2]` never names one).
 */
export const VARIABLE_NAME = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/;

export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** A list value (`a, b c`) split into items with their offsets inside the value. */
export function splitList(value: string): { item: string; offset: number }[] {
  const items: { item: string; offset: number }[] = [];
  for (const m of value.matchAll(/[^\s,]+/g)) items.push({ item: m[0], offset: m.index });
  return items;
}

export type MarkerKind = 'verify' | 'revert';

/** `-- revert:` (any case, spaces allowed, nothing after the colon) — the only form that opens a section. */
const MARKER = /^--[ \t]*(verify|revert)[ \t]*:[ \t]*$/i;
/** `-- revert` without the colon: almost certainly meant as a marker. */
const MARKER_NO_COLON = /^--[ \t]*(verify|revert)[ \t]*$/i;

export function markerOf(comment: string): MarkerKind | undefined {
  const m = MARKER.exec(comment);
  return m ? (m[1].toLowerCase() as MarkerKind) : undefined;
}

export function markerWithoutColon(comment: string): MarkerKind | undefined {
  const m = MARKER_NO_COLON.exec(comment);
  return m ? (m[1].toLowerCase() as MarkerKind) : undefined;
}

/** `-- revert: text`: a marker's word and colon with text after it (a comment in the header, an error below it). */
const MARKER_WITH_TEXT = /^--[ \t]*(verify|revert)[ \t]*:[ \t]*\S/i;

export function markerWithText(comment: string): MarkerKind | undefined {
  const m = MARKER_WITH_TEXT.exec(comment);
  return m ? (m[1].toLowerCase() as MarkerKind) : undefined;
}

/** A directive key followed by a value but no colon (`-- requires a, b`); offsets relative to the comment. */
export interface ColonlessDirective {
  key: DirectiveKey;
  value: string;
  keyOffset: number;
}

const COLONLESS = /^--[ \t]*(requires|transaction|allow|repeatable|vars)[ \t]+([^:]*?)[ \t]*$/di;
/** A list of migration names: the characters names may hold (name.ts), separated by commas and/or spaces. */
const NAME_LIST = /^[\p{L}\p{M}\p{N}_.\-/]+(?:[ \t,]+[\p{L}\p{M}\p{N}_.\-/]+)*[ \t,]*$/u;

/**
 * `-- requires a, b` without its colon would be a comment, and silently drop a dependency. But a header
 * also holds prose (`-- Requires PostgreSQL 14+`, `-- Allow time for the backfill`), so the line counts
 * as a directive only when its value is what the key takes: for `requires`, a list of name-like words
 * (so `-- Requires careful review` is reported too: the hint says to add the colon or reword);
 * for `transaction`, exactly `on` or `off`; for `allow`, only known lint rule ids; for `repeatable`,
 * exactly `yes` or `no`; for `vars`, a list of variable names.
 */
export function colonlessDirective(comment: string): ColonlessDirective | undefined {
  const m = COLONLESS.exec(comment);
  if (!m) return undefined;
  const key = m[1].toLowerCase() as DirectiveKey;
  const value = m[2];
  const items = splitList(value).map((i) => i.item);
  const looksLikeValue = key === 'requires' ? NAME_LIST.test(value)
    : key === 'transaction' ? /^(on|off)$/i.test(value)
      : key === 'repeatable' ? /^(yes|no)$/i.test(value)
        : key === 'vars' ? items.length > 0 && items.every(isVariableName)
          : items.length > 0 && items.every((item) => LINT_RULES.has(item));
  return looksLikeValue ? { key, value, keyOffset: m.indices![1]![0] } : undefined;
}
