// The tokenizer's scanners: character classes, and where a comment, string, quoted name, dollar body or number ends.
import type { LexProblem } from './lexer.js';

export const enum C {
  tab = 9, nl = 10, cr = 13, space = 32, dquote = 34, hash = 35, dollar = 36, quote = 39, lparen = 40, rparen = 41,
  star = 42, plus = 43, minus = 45, dot = 46, slash = 47, zero = 48, nine = 57, semi = 59,
  A = 65, E = 69, Z = 90, lbracket = 91, backslash = 92, rbracket = 93, underscore = 95, backtick = 96, a = 97, e = 101,
  z = 122, amp = 38, at = 64,
}

export function isSpace(c: number): boolean {
  return c === C.space || c === C.nl || c === C.tab || c === C.cr || c === 12 || c === 11;
}

/** PostgreSQL identifiers start with a letter, `_` or any non-ASCII character. */
export function isIdentStart(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.underscore || c >= 0x80;
}

export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= C.zero && c <= C.nine) || c === C.dollar;
}

export function isDigit(c: number): boolean {
  return c >= C.zero && c <= C.nine;
}

/** E'…' (escapes), B'…', X'…', N'…'. */
export function isStringPrefix(c: number): boolean {
  return c === C.e || c === C.E || c === 98 || c === 66 || c === 120 || c === 88 || c === 110 || c === 78;
}

export function skipBlockComment(text: string, i: number, nested: boolean, problems: LexProblem[]): number {
  const start = i;
  let depth = 0;
  const n = text.length;
  if (!nested) {
    const close = text.indexOf('*/', i + 2);
    if (close !== -1) return close + 2;
    problems.push({ code: 'unterminated-comment', offset: start, message: 'unterminated block comment', hint: 'close it with */' });
    return n;
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.slash && text.charCodeAt(i + 1) === C.star) { depth++; i += 2; }
    else if (c === C.star && text.charCodeAt(i + 1) === C.slash) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  problems.push({
    code: 'unterminated-comment',
    offset: start,
    message: 'unterminated block comment',
    hint: 'close it with */ (block comments nest in PostgreSQL: every /* needs its own */)',
  });
  return n;
}

export const UNTERMINATED_STRING: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-string', message: 'unterminated string literal', hint: "close it with ' (write a quote inside a string as '')",
};
export const UNTERMINATED_IDENTIFIER: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-identifier', message: 'unterminated quoted identifier',
  hint: 'close it with " (write a double quote inside an identifier as "")',
};

export const UNTERMINATED_DQ_STRING: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-string', message: 'unterminated string literal', hint: 'close it with " (write a double quote inside a string as "" or \\")',
};

export const UNTERMINATED_BACKTICK: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-identifier', message: 'unterminated quoted identifier',
  hint: 'close it with ` (write a backtick inside an identifier as ``)',
};

/** `[name]`: no escapes, the first `]` closes it. */
export function skipBracketIdentifier(text: string, i: number, problems: LexProblem[]): number {
  const close = text.indexOf(']', i + 1);
  if (close !== -1) return close + 1;
  problems.push({ code: 'unterminated-identifier', offset: i, message: 'unterminated quoted identifier', hint: 'close it with ]' });
  return text.length;
}

/** Skips a '…' string starting at the quote; '' is an escaped quote, and with `escapes` so is \'. */
export function skipString(text: string, i: number, escapes: boolean, problems: LexProblem[], start = i): number {
  return skipQuoted(text, i, C.quote, escapes, problems, start, UNTERMINATED_STRING);
}

/** Skips a "…" identifier starting at the quote; "" is an escaped quote. */
export function skipQuotedIdentifier(text: string, i: number, problems: LexProblem[], start = i): number {
  return skipQuoted(text, i, C.dquote, false, problems, start, UNTERMINATED_IDENTIFIER);
}

export function skipQuoted(
  text: string, i: number, quote: number, escapes: boolean, problems: LexProblem[], start: number, unterminated: Omit<LexProblem, 'offset'>,
): number {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (escapes && c === C.backslash) { i += 2; continue; }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  problems.push({ ...unterminated, offset: start });
  return n;
}

/** If a dollar-quote opening tag ($$ or $tag$) starts at i, returns the offset just after it, else -1. */
export function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  if (text.charCodeAt(j) === C.dollar) return j + 1;
  if (!isIdentStart(text.charCodeAt(j))) return -1;
  j++;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === C.dollar) return j + 1;
    if (!isIdentStart(c) && !isDigit(c)) return -1;
    j++;
  }
  return -1;
}

export function skipDollarString(text: string, i: number, tagEnd: number, problems: LexProblem[]): number {
  const tag = text.slice(i, tagEnd);
  const close = text.indexOf(tag, tagEnd);
  if (close !== -1) return close + tag.length;
  problems.push({
    code: 'unterminated-dollar-quote',
    offset: i,
    message: `unterminated dollar-quoted string ${tag}`,
    hint: `close the body with the same tag: ${tag}`,
  });
  return text.length;
}

export function skipNumber(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isDigit(c) || c === C.dot || c === C.underscore || (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z)) {
      const next = text.charCodeAt(i + 1);
      i++;
      // An exponent may carry a sign: 1e-5.
      if ((c === C.e || c === C.E) && (next === C.plus || next === C.minus) && isDigit(text.charCodeAt(i + 1))) i++;
      continue;
    }
    break;
  }
  return i;
}
