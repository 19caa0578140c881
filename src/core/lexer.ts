// SQL tokenizer, parameterised by a dialect's lexical rules: just enough to know what is code, comment, string or quote.
import {
  C, dollarTagEnd, isDigit, isIdentChar, isIdentStart, isSpace, isStringPrefix, skipBlockComment, skipBracketIdentifier,
  skipDollarString, skipNumber, skipQuoted, skipQuotedIdentifier, skipString, UNTERMINATED_BACKTICK, UNTERMINATED_DQ_STRING,
  UNTERMINATED_STRING,
} from './lex-scan.js';
import { clientCommandAt, dashCommentProblem, executableCommentOpener, isDashComment, lineEnd } from './mysql-lex.js';

export type TokenKind =
  | 'word' // keyword or unquoted identifier; in MySQL also `@var`, `@@session.var`, and `\N` (NULL)
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
  | 'operator'
  | 'executable-comment-start' // MySQL's `/*!` or `/*!50003`: what follows up to `*/` is SQL
  | 'executable-comment-end'
  | 'delimiter-command' // a mysql client `DELIMITER x` line: not SQL, it changes the terminator
  | 'delimiter' // the terminator a DELIMITER line set, where it is not `;`
  | 'client-command'; // another mysql client command (`\G`, `source file`): an error

/** A token covers text[start, end) in UTF-16 offsets. */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

export interface LexProblem {
  code:
    | 'unterminated-comment' | 'unterminated-string' | 'unterminated-identifier' | 'unterminated-dollar-quote'
    | 'dash-comment-without-space' | 'client-command' | 'invalid-delimiter';
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
  // MySQL's rules, off unless set.
  /** `#` starts a line comment. */
  hashComments?: boolean;
  /** `--` starts a comment only before whitespace or the end: `1--1` is arithmetic. */
  dashCommentNeedsSpace?: boolean;
  /** Backslash escapes in every string (`'it\'s'`), as without NO_BACKSLASH_ESCAPES. */
  backslashEscapes?: boolean;
  /** `"…"` is a string, not an identifier, as without ANSI_QUOTES. */
  doubleQuoteStrings?: boolean;
  /** `/*! … *\/` and `/*!50003 … *\/` hold SQL; ordinary block comments do not nest. */
  executableComments?: boolean;
  /** `@name` and `@@scope.name` are one word. */
  variables?: boolean;
  /** `_utf8mb4'…'` (a string with its character set) is one string. */
  charsetIntroducers?: boolean;
  /** The mysql client's `DELIMITER x` lines change the terminator; its other commands are errors. */
  clientCommands?: boolean;
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
  // MySQL: the terminator DELIMITER lines set, where an open executable comment started (-1: none), and
  // whether no statement is pending (where the mysql client reads its own commands).
  let delimiter = ';';
  let caseless = false; // the delimiter holds letters
  let executable = -1;
  let statementStart = true;
  // Only the mysql client's commands need to know where a statement starts: other dialects only collect.
  const push = !rules.clientCommands
    ? (kind: TokenKind, start: number, end: number) => { tokens.push({ kind, start, end }); }
    : (kind: TokenKind, start: number, end: number) => {
      tokens.push({ kind, start, end });
      if (kind === 'line-comment' || kind === 'block-comment') return;
      statementStart = kind === 'semicolon' ? delimiter === ';' : ENDS_STATEMENT.has(kind);
    };
  // As in the mysql client, a delimiter ends whatever it touches (`END$$`); letters in it match in any case.
  const atDelimiter = (j: number) => delimiter !== ';' && (text.startsWith(delimiter, j)
    || (caseless && text.slice(j, j + delimiter.length).toLowerCase() === delimiter.toLowerCase()));
  const identEnd = (j: number) => {
    if (delimiter === ';') {
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
    } else {
      while (j < n && isIdentChar(text.charCodeAt(j)) && !atDelimiter(j)) j++;
    }
    return j;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isSpace(c)) { i++; continue; }

    if (rules.clientCommands) {
      if (atDelimiter(i)) {
        i += delimiter.length;
        push('delimiter', start, i);
        continue;
      }
      if (c === C.backslash && text.charCodeAt(i + 1) === 78) {
        // `\N` is NULL; the client passes it on.
        i += 2;
        push('word', start, i);
        continue;
      }
      const command = c === C.backslash || isIdentStart(c) ? clientCommandAt(text, i, statementStart) : undefined;
      if (command) {
        if (command.problem) problems.push(command.problem);
        if (command.delimiter !== undefined) {
          delimiter = command.delimiter;
          caseless = /[a-z]/i.test(delimiter);
        }
        i = command.end;
        push(command.kind, start, i);
        continue;
      }
    }
    const dashes = c === C.minus && text.charCodeAt(i + 1) === C.minus;
    if ((dashes && (!rules.dashCommentNeedsSpace || isDashComment(text, i) || reported(dashCommentProblem(text, i), problems)))
      || (c === C.hash && rules.hashComments)) {
      i = lineEnd(text, i);
      push('line-comment', start, i);
      continue;
    }
    if (c === C.slash && text.charCodeAt(i + 1) === C.star) {
      const opener = rules.executableComments && executable === -1 ? executableCommentOpener(text, i) : -1;
      if (opener !== -1) {
        executable = start;
        i = opener;
        push('executable-comment-start', start, i);
        continue;
      }
      i = skipBlockComment(text, i, rules.nestedComments, problems);
      push('block-comment', start, i);
      continue;
    }
    if (executable !== -1 && c === C.star && text.charCodeAt(i + 1) === C.slash) {
      executable = -1;
      i += 2;
      push('executable-comment-end', start, i);
      continue;
    }
    if (c === C.quote) {
      i = skipString(text, i, rules.backslashEscapes === true, problems);
      push('string', start, i);
      continue;
    }
    if (c === C.dquote && rules.doubleQuoteStrings) {
      i = skipQuoted(text, i, C.dquote, rules.backslashEscapes === true, problems, start, UNTERMINATED_DQ_STRING);
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
    if (c === C.at && rules.variables) {
      // `@name` (a user variable; its name may hold dots) or `@@name`, `@@session.name` (a system variable).
      const nameStart = i + (text.charCodeAt(i + 1) === C.at ? 2 : 1);
      let j = nameStart;
      while (j < n && (isIdentChar(text.charCodeAt(j)) || text.charCodeAt(j) === C.dot) && !atDelimiter(j)) j++;
      i = j > nameStart ? j : i + 1;
      push(j > nameStart ? 'word' : 'operator', start, i);
      continue;
    }
    if (c === C.dollar && !rules.dollarQuotes) {
      // SQLite's `$name` parameter (also `$1`).
      i = identEnd(i + 1);
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
      i = identEnd(i + 1);
      const next = text.charCodeAt(i);
      if (next === C.quote && i - start === 1 && isStringPrefix(c)) {
        i = skipString(text, i, (rules.escapeStrings && (c === C.e || c === C.E)) || rules.backslashEscapes === true, problems, start);
        push('string', start, i);
      } else if (rules.charsetIntroducers && c === C.underscore && i - start > 1
        && (next === C.quote || (next === C.dquote && rules.doubleQuoteStrings))) {
        // `_utf8mb4'…'`: a string with its character set.
        i = skipQuoted(text, i, next, rules.backslashEscapes === true, problems, start, next === C.quote ? UNTERMINATED_STRING : UNTERMINATED_DQ_STRING);
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
  if (executable !== -1) {
    problems.push({ code: 'unterminated-comment', offset: executable, message: 'unterminated executable comment', hint: 'close it with */' });
  }
  return { tokens, problems };
}

/** Tokens after which the mysql client reads a new statement. */
const ENDS_STATEMENT: ReadonlySet<TokenKind> = new Set(['delimiter', 'delimiter-command', 'client-command']);

/** Records a problem if there is one; whether there was. */
function reported(problem: LexProblem | undefined, problems: LexProblem[]): boolean {
  if (problem) problems.push(problem);
  return problem !== undefined;
}

/** Whether a token is code rather than a comment. */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'line-comment' && token.kind !== 'block-comment';
}
