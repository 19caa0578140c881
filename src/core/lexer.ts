// SQL tokenizer, parameterised by a dialect's lexical rules: just enough to know what is code, comment, string or quote.
import {
  C, dollarTagEnd, isDigit, isIdentChar, isIdentStart, isSpace, isStringPrefix, skipBlockComment, skipBracketIdentifier,
  skipDollarString, skipNumber, skipQuoted, skipQuotedIdentifier, skipString, UNTERMINATED_BACKTICK,
} from './lex-scan.js';

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

/** Whether a token is code rather than a comment. */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'line-comment' && token.kind !== 'block-comment';
}
