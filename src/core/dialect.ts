// A SQL dialect: how a file is lexed and split into statements, and which statements are transaction control.
import { POSTGRES_LEX, tokenize, type LexResult, type LexRules } from './lexer.js';
import { isPgRoutineStart, leadingWords, splitStatements, transactionControl, type CompoundStart, type Statement } from './statements.js';
import type { Token } from './lexer.js';
import { splitMysqlStatements } from './mysql-statements.js';
import { mysqlImplicitCommit, mysqlTransactionControl } from './mysql-transactions.js';

export const DIALECT_NAMES = ['postgres', 'sqlite', 'mysql'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/**
 * Everything about a file that depends on the database's language, and nothing that touches a
 * database: known before a file is parsed (from the URL's scheme, or `--dialect` for commands
 * without a database). The driver owns the rest (sessions, history, lock, scratch databases).
 */
export interface Dialect {
  readonly name: DialectName;
  tokenize(text: string): LexResult;
  /** Statements of tokens[from, to), split at top-level semicolons. */
  splitStatements(text: string, tokens: readonly Token[], from?: number, to?: number): Statement[];
  /** The keyword when a statement's first words (up to three) are transaction control, which sqlmig owns. */
  transactionControl(words: readonly string[]): string | undefined;
  /**
   * Whether a statement (its first three words, lower-cased: see `leadingWords`) ends the transaction it
   * runs in — MySQL commits implicitly before DDL — so that a file holding one cannot run in one
   * transaction with its history row. Absent where DDL is transactional (PostgreSQL, SQLite).
   */
  implicitCommit?(words: readonly string[]): boolean;
  /** The lint rules read this dialect's grammar (PostgreSQL's parser); elsewhere only engine-neutral rules run. */
  readonly pgGrammar: boolean;
  /** Header directives only this dialect knows (`foreign-keys` on SQLite). */
  readonly directives: readonly string[];
  /** A value as a string literal of this dialect: what psql's `:'name'` inserts. */
  quoteLiteral(value: string): string;
  /** A value as a quoted identifier of this dialect: what psql's `:"name"` inserts. */
  quoteIdentifier(value: string): string;
  /** Why a target's `searchPath` (a schema per tenant) means nothing here; absent where names resolve through a search_path. */
  readonly withoutSearchPath?: string;
}

/** Standard SQL quoting: a quote inside is doubled. */
const quoteWith = (quote: string) => (value: string) => `${quote}${value.split(quote).join(quote + quote)}${quote}`;

/**
 * As psql's `:'name'` (PQescapeLiteral): with a backslash in the value, an E'' string (backslashes
 * doubled) after a space, so that it reads the same whatever standard_conforming_strings says.
 */
function quotePgLiteral(value: string): string {
  if (!value.includes('\\')) return quoteWith("'")(value);
  return ` E${quoteWith("'")(value.replace(/\\/g, '\\\\'))}`;
}

/** MySQL reads backslash escapes in strings (no NO_BACKSLASH_ESCAPES): a backslash is doubled too. */
function quoteMysqlLiteral(value: string): string {
  return quoteWith("'")(value.replace(/\\/g, '\\\\'));
}

function dialect(name: DialectName, lex: LexRules, compound: CompoundStart, extra: Partial<Dialect> = {}): Dialect {
  return {
    name,
    tokenize: (text) => tokenize(text, lex),
    splitStatements: (text, tokens, from, to) => splitStatements(text, tokens, from, to, compound),
    transactionControl,
    pgGrammar: false,
    directives: [],
    quoteLiteral: quoteWith("'"),
    quoteIdentifier: quoteWith('"'),
    ...extra,
  };
}

/** SQLite: `CREATE [TEMP] TRIGGER … BEGIN … END` holds its own semicolons. */
function isSqliteTriggerStart(lead: readonly string[]): boolean {
  if (lead[0] !== 'create') return false;
  const kind = lead[1] === 'temp' || lead[1] === 'temporary' ? lead[2] : lead[1];
  return kind === 'trigger';
}

export const POSTGRES: Dialect = dialect('postgres', POSTGRES_LEX, isPgRoutineStart, { pgGrammar: true, quoteLiteral: quotePgLiteral });

export const SQLITE: Dialect = dialect('sqlite', {
  dollarQuotes: false, nestedComments: false, escapeStrings: false, bracketIdentifiers: true, backtickIdentifiers: true,
}, isSqliteTriggerStart, {
  directives: ['foreign-keys'],
  withoutSearchPath: 'SQLite has no schemas to choose among (only attached databases): give each tenant its own database file',
});

const MYSQL_LEX: LexRules = {
  dollarQuotes: false, nestedComments: false, escapeStrings: false, bracketIdentifiers: false, backtickIdentifiers: true,
  hashComments: true, dashCommentNeedsSpace: true, backslashEscapes: true, doubleQuoteStrings: true,
  executableComments: true, variables: true, charsetIntroducers: true, clientCommands: true,
};

/**
 * MySQL 8 and MariaDB 10.6+, read as with the server's default sql_mode: `"…"` is a string (no
 * ANSI_QUOTES) and backslashes escape in strings (no NO_BACKSLASH_ESCAPES). The mysql client's
 * DELIMITER lines are honoured; compound statements need none (see core/mysql-statements.ts).
 */
export const MYSQL: Dialect = {
  name: 'mysql',
  tokenize: (text) => tokenize(text, MYSQL_LEX),
  splitStatements: (text, tokens, from, to) => splitMysqlStatements(text, tokens, from, to),
  transactionControl: mysqlTransactionControl,
  implicitCommit: mysqlImplicitCommit,
  pgGrammar: false,
  directives: [],
  quoteLiteral: quoteMysqlLiteral,
  // Backticks: `"` is a string without ANSI_QUOTES, which the dialect assumes.
  quoteIdentifier: quoteWith('`'),
  withoutSearchPath: 'MySQL has no search_path (a schema is a database there): give each tenant database its own URL in "db"',
};

const BY_NAME: Record<DialectName, Dialect> = { postgres: POSTGRES, sqlite: SQLITE, mysql: MYSQL };

export function dialectNamed(name: DialectName): Dialect {
  return BY_NAME[name];
}

export function isDialectName(name: string): name is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(name);
}

/** Whether some statement of `sql` ends the transaction it runs in (see `Dialect.implicitCommit`). */
export function commitsImplicitly(dialect: Dialect, sql: string): boolean {
  if (!dialect.implicitCommit) return false;
  const { tokens } = dialect.tokenize(sql);
  return dialect.splitStatements(sql, tokens).some((statement) => dialect.implicitCommit!(leadingWords(sql, tokens, statement, 3)));
}
