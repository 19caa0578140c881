// SQL tokenizer, parameterised by a dialect's lexical rules: just enough to know what is code, comment, string or quote.

export type TokenKind =
  | 'word' // keyword or unquoted identifier
  | 'quoted-identifier'
  | 'string'
  | 'dollar-string'
  | 'number'
  | 'parameter' // $1
  | 'line-comment'
  | 'block-comment'
  | 'semicolon'
  | 'open-paren'
  | 'close-paren'
  | 'backslash' // only psql meta-commands use one outside quotes
  | 'operator';

/** A token covers text[start, end) in UTF-16 offsets. */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

export interface LexProblem {
  code: 'unterminated-comment' | 'unterminated-string' | 'unterminated-identifier' | 'unterminated-dollar-quote';
  offset: number;
  message: string;
  hint: string;
}

/** The lexical rules that differ between dialects (see core/dialect.ts). */
export interface LexRules {
  /** `$$…$$` and `$tag$…$tag$` bodies (PostgreSQL); otherwise `$name` is a parameter. */
  dollarQuotes: boolean;
  /** `/* /* … *\/ *\/` nests (PostgreSQL); otherwise the first `*\/` closes the comment. */
  nestedComments: boolean;
  /** `E'…'` strings with backslash escapes, and `U&'…'` (PostgreSQL). */
  escapeStrings: boolean;
  /** `[name]` is a quoted identifier (SQLite, SQL Server heritage). */
  bracketIdentifiers: boolean;
  /** `` `name` `` is a quoted identifier (SQLite, MySQL). */
  backtickIdentifiers: boolean;
}

/** PostgreSQL's rules: the default, and what PGlite reads too. */
export const POSTGRES_LEX: LexRules = {
  dollarQuotes: true, nestedComments: true, escapeStrings: true, bracketIdentifiers: false, backtickIdentifiers: false,
};

export interface LexResult {
  tokens: Token[];
  problems: LexProblem[];
}

const enum C {
  tab = 9, nl = 10, cr = 13, space = 32, dquote = 34, dollar = 36, quote = 39, lparen = 40, rparen = 41,
  star = 42, plus = 43, minus = 45, dot = 46, slash = 47, zero = 48, nine = 57, semi = 59,
  A = 65, E = 69, Z = 90, lbracket = 91, backslash = 92, rbracket = 93, underscore = 95, backtick = 96, a = 97, e = 101,
  z = 122, amp = 38,
}

function isSpace(c: number): boolean {
  return c === C.space || c === C.nl || c === C.tab || c === C.cr || c === 12 || c === 11;
}

/** PostgreSQL identifiers start with a letter, `_` or any non-ASCII character. */
function isIdentStart(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.underscore || c >= 0x80;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= C.zero && c <= C.nine) || c === C.dollar;
}

function isDigit(c: number): boolean {
  return c >= C.zero && c <= C.nine;
}

/** Tokenizes `text`; problems (unterminated constructs) are returned, and the token runs to the end. */
export function tokenize(text: string, rules: LexRules = POSTGRES_LEX): LexResult {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  const n = text.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, start, end });

  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isSpace(c)) { i++; continue; }

    if (c === C.minus && text.charCodeAt(i + 1) === C.minus) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol;
      push('line-comment', start, i);
      continue;
    }
    if (c === C.slash && text.charCodeAt(i + 1) === C.star) {
      i = skipBlockComment(text, i, rules.nestedComments, problems);
      push('block-comment', start, i);
      continue;
    }
    if (c === C.quote) {
      i = skipString(text, i, false, problems);
      push('string', start, i);
      continue;
    }
    if (c === C.dquote) {
      i = skipQuotedIdentifier(text, i, problems);
      push('quoted-identifier', start, i);
      continue;
    }
    if (c === C.backtick && rules.backtickIdentifiers) {
      i = skipQuoted(text, i, C.backtick, false, problems, start, UNTERMINATED_BACKTICK);
      push('quoted-identifier', start, i);
      continue;
    }
    if (c === C.lbracket && rules.bracketIdentifiers) {
      i = skipBracketIdentifier(text, i, problems);
      push('quoted-identifier', start, i);
      continue;
    }
    if (c === C.dollar && !rules.dollarQuotes) {
      // SQLite's `$name` parameter (also `$1`).
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      push(i - start > 1 ? 'parameter' : 'operator', start, i);
      continue;
    }
    if (c === C.dollar) {
      if (isDigit(text.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        push('parameter', start, i);
        continue;
      }
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd !== -1) {
        i = skipDollarString(text, i, tagEnd, problems);
        push('dollar-string', start, i);
        continue;
      }
      i++;
      push('operator', start, i);
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      const next = text.charCodeAt(i);
      if (next === C.quote && i - start === 1 && isStringPrefix(c)) {
        i = skipString(text, i, rules.escapeStrings && (c === C.e || c === C.E), problems, start);
        push('string', start, i);
      } else if (rules.escapeStrings && i - start === 1 && (c === 85 || c === 117) && next === C.amp) {
        // U&'…' and U&"…": Unicode escapes, otherwise standard quoting rules.
        const q = text.charCodeAt(i + 1);
        if (q === C.quote) { i = skipString(text, i + 1, false, problems, start); push('string', start, i); }
        else if (q === C.dquote) { i = skipQuotedIdentifier(text, i + 1, problems, start); push('quoted-identifier', start, i); }
        else push('word', start, i);
      } else {
        push('word', start, i);
      }
      continue;
    }
    if (isDigit(c) || (c === C.dot && isDigit(text.charCodeAt(i + 1)))) {
      i = skipNumber(text, i);
      push('number', start, i);
      continue;
    }
    i++;
    if (c === C.semi) push('semicolon', start, i);
    else if (c === C.lparen) push('open-paren', start, i);
    else if (c === C.rparen) push('close-paren', start, i);
    else if (c === C.backslash) push('backslash', start, i);
    else push('operator', start, i);
  }
  return { tokens, problems };
}

/** E'…' (escapes), B'…', X'…', N'…'. */
function isStringPrefix(c: number): boolean {
  return c === C.e || c === C.E || c === 98 || c === 66 || c === 120 || c === 88 || c === 110 || c === 78;
}

function skipBlockComment(text: string, i: number, nested: boolean, problems: LexProblem[]): number {
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

const UNTERMINATED_STRING: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-string', message: 'unterminated string literal', hint: "close it with ' (write a quote inside a string as '')",
};
const UNTERMINATED_IDENTIFIER: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-identifier', message: 'unterminated quoted identifier',
  hint: 'close it with " (write a double quote inside an identifier as "")',
};

const UNTERMINATED_BACKTICK: Omit<LexProblem, 'offset'> = {
  code: 'unterminated-identifier', message: 'unterminated quoted identifier',
  hint: 'close it with ` (write a backtick inside an identifier as ``)',
};

/** `[name]`: no escapes, the first `]` closes it. */
function skipBracketIdentifier(text: string, i: number, problems: LexProblem[]): number {
  const close = text.indexOf(']', i + 1);
  if (close !== -1) return close + 1;
  problems.push({ code: 'unterminated-identifier', offset: i, message: 'unterminated quoted identifier', hint: 'close it with ]' });
  return text.length;
}

/** Skips a '…' string starting at the quote; '' is an escaped quote, and with `escapes` so is \'. */
function skipString(text: string, i: number, escapes: boolean, problems: LexProblem[], start = i): number {
  return skipQuoted(text, i, C.quote, escapes, problems, start, UNTERMINATED_STRING);
}

/** Skips a "…" identifier starting at the quote; "" is an escaped quote. */
function skipQuotedIdentifier(text: string, i: number, problems: LexProblem[], start = i): number {
  return skipQuoted(text, i, C.dquote, false, problems, start, UNTERMINATED_IDENTIFIER);
}

function skipQuoted(
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
function dollarTagEnd(text: string, i: number): number {
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

function skipDollarString(text: string, i: number, tagEnd: number, problems: LexProblem[]): number {
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

function skipNumber(text: string, i: number): number {
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

/** Whether a token is code rather than a comment. */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'line-comment' && token.kind !== 'block-comment';
}
