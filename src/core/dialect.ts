// A SQL dialect: how a file is lexed and split into statements, and which statements are transaction control.
import { POSTGRES_LEX, tokenize, type LexResult, type LexRules } from './lexer.js';
import { isPgRoutineStart, splitStatements, transactionControl, type CompoundStart, type Statement } from './statements.js';
import type { Token } from './lexer.js';

export const DIALECT_NAMES = ['postgres', 'sqlite'] as const;
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
  /** The keyword when a statement's first two words are transaction control, which sqlmig owns. */
  transactionControl(words: readonly string[]): string | undefined;
  /** The lint rules read this dialect's grammar (PostgreSQL's parser); elsewhere only engine-neutral rules run. */
  readonly pgGrammar: boolean;
  /** Header directives only this dialect knows (`foreign-keys` on SQLite). */
  readonly directives: readonly string[];
}

function dialect(name: DialectName, lex: LexRules, compound: CompoundStart, extra: Partial<Dialect> = {}): Dialect {
  return {
    name,
    tokenize: (text) => tokenize(text, lex),
    splitStatements: (text, tokens, from, to) => splitStatements(text, tokens, from, to, compound),
    transactionControl,
    pgGrammar: false,
    directives: [],
    ...extra,
  };
}

/** SQLite: `CREATE [TEMP] TRIGGER … BEGIN … END` holds its own semicolons. */
function isSqliteTriggerStart(lead: readonly string[]): boolean {
  if (lead[0] !== 'create') return false;
  const kind = lead[1] === 'temp' || lead[1] === 'temporary' ? lead[2] : lead[1];
  return kind === 'trigger';
}

export const POSTGRES: Dialect = dialect('postgres', POSTGRES_LEX, isPgRoutineStart, { pgGrammar: true });

export const SQLITE: Dialect = dialect('sqlite', {
  dollarQuotes: false, nestedComments: false, escapeStrings: false, bracketIdentifiers: true, backtickIdentifiers: true,
}, isSqliteTriggerStart, { directives: ['foreign-keys'] });

const BY_NAME: Record<DialectName, Dialect> = { postgres: POSTGRES, sqlite: SQLITE };

export function dialectNamed(name: DialectName): Dialect {
  return BY_NAME[name];
}

export function isDialectName(name: string): name is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(name);
}
