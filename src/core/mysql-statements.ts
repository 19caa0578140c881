// Splits MySQL into statements: compound statements whole, DELIMITER lines honoured as the mysql client does.
import { isSignificant, type Token } from './lexer.js';
import { delimiterOf } from './mysql-lex.js';
import type { Statement } from './statements.js';

/**
 * Splits tokens[from, to) into statements. A `DELIMITER x` line ends the statement before it and, until
 * the next DELIMITER line, only `x` ends a statement, whatever it holds, as in the mysql client. With `;`
 * as the terminator, a semicolon ends a statement outside parentheses and outside the body of a
 * compound statement (`CREATE PROCEDURE | FUNCTION | TRIGGER | EVENT …`, `ALTER EVENT … DO`, MariaDB's
 * `BEGIN NOT ATOMIC`), whose blocks are matched against their ENDs (see `Blocks`), so that no
 * DELIMITER is needed. Executable comments (`/*!50003 … *\/`) are read as the SQL they hold.
 * Comment-only pieces are dropped. One pass over the tokens.
 */
export function splitMysqlStatements(text: string, tokens: readonly Token[], from = 0, to = tokens.length): Statement[] {
  const statements: Statement[] = [];
  let first = -1;
  let custom = false;
  let parens = 0;
  let lead = new Lead();
  let blocks: Blocks | undefined;

  const close = (end: number) => {
    if (first !== -1) {
      let lastSignificant = end - 1;
      while (!isSignificant(tokens[lastSignificant])) lastSignificant--;
      statements.push({ start: tokens[first].start, end: tokens[lastSignificant].end, first, last: end });
    }
    first = -1; parens = 0; lead = new Lead(); blocks = undefined;
  };

  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (!isSignificant(t)) continue;
    if (t.kind === 'delimiter-command') {
      close(i);
      const delimiter = delimiterOf(text.slice(t.start, t.end));
      if (delimiter !== undefined) custom = delimiter !== ';';
      continue;
    }
    if (custom) {
      if (t.kind === 'delimiter') close(i);
      else if (first === -1) first = i;
      continue;
    }
    // Words matter only while the lead is read and inside a compound statement.
    const reading = blocks !== undefined || lead.decided === undefined;
    const word = reading && t.kind === 'word' ? text.slice(t.start, t.end).toLowerCase() : undefined;
    const consumed = blocks?.settle(t, word) ?? false;
    if (t.kind === 'semicolon' && parens === 0 && (blocks?.depth ?? 0) === 0) { close(i); continue; }
    if (first === -1) first = i;
    if (t.kind === 'executable-comment-start' || t.kind === 'executable-comment-end') continue;
    if (blocks) {
      blocks.step(t, word ?? (t.kind === 'operator' ? text.slice(t.start, t.end) : undefined), parens, consumed);
    } else if (lead.decided === undefined) {
      lead.feed(word);
      if (lead.decided) blocks = new Blocks(lead.opensBlock);
    }
    if (t.kind === 'open-paren') parens++;
    else if (t.kind === 'close-paren') parens = Math.max(0, parens - 1);
  }
  close(to);
  return statements;
}

const ROUTINES: ReadonlySet<string> = new Set(['procedure', 'function', 'trigger', 'event']);

/**
 * Reads a statement's first tokens until it knows whether they open a compound statement:
 * `CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE] PROCEDURE | FUNCTION | TRIGGER | EVENT`,
 * `ALTER [DEFINER = user] EVENT`, or MariaDB's `BEGIN NOT ATOMIC`.
 */
class Lead {
  decided: boolean | undefined;
  /** `BEGIN NOT ATOMIC` opened its block with its first word. */
  opensBlock = false;
  private state: 'start' | 'create' | 'or' | 'definer' | 'aggregate' | 'alter' | 'begin' | 'begin-not' = 'start';
  /** Tokens of a DEFINER clause read so far: `'u'@'h'`, `` `u`@`h` ``, `CURRENT_USER()`… */
  private definer = 0;

  /** Reads the next token: a word lower-cased, or undefined for any other token. */
  feed(word: string | undefined): void {
    const w = word ?? '';
    switch (this.state) {
      case 'start':
        if (w === 'create' || w === 'alter' || w === 'begin') this.state = w;
        else this.decided = false;
        return;
      case 'create':
        if (w === 'or' || w === 'definer' || w === 'aggregate') this.state = w;
        else this.decided = ROUTINES.has(w);
        return;
      case 'or':
        if (w === 'replace') this.state = 'create';
        else this.decided = false;
        return;
      case 'definer':
        if (ROUTINES.has(w)) this.decided = true;
        else if (w === 'aggregate') this.state = 'aggregate';
        else if (w === 'view' || w === 'sql' || ++this.definer > 8) this.decided = false;
        return;
      case 'aggregate':
        this.decided = w === 'function';
        return;
      case 'alter':
        if (w === 'definer') this.state = 'definer';
        else this.decided = w === 'event';
        return;
      case 'begin':
        if (w === 'not') this.state = 'begin-not';
        else this.decided = false;
        return;
      case 'begin-not':
        this.decided = this.opensBlock = w === 'atomic';
    }
  }
}

type BlockKind = 'begin' | 'case' | 'if' | 'loop' | 'while' | 'repeat' | 'for';
/** The words after END that name what it closes: `END IF`, `END LOOP`… */
const QUALIFIERS: ReadonlySet<string> = new Set(['if', 'case', 'loop', 'while', 'repeat', 'for']);
/** Words after which BEGIN and END are identifiers (`SELECT begin, end FROM t`, `ORDER BY end`). */
const BEFORE_IDENTIFIER: ReadonlySet<string> = new Set(['select', 'set', 'declare', 'as', 'by', 'where', 'and', 'or', 'on', 'into', 'from', 'distinct']);
/** Characteristics that may end a routine's header, before a body with no BEGIN (`DETERMINISTIC IF (…) THEN`). */
const HEADER_END: ReadonlySet<string> = new Set(['deterministic', 'sql', 'data', 'invoker', 'definer']);

/** The previous significant token, as the block matcher saw it. */
interface Previous {
  kind: Token['kind'] | undefined;
  /** A word, lower-cased, or an operator's text. */
  word: string | undefined;
  /** A block keyword that opened a block (not END's qualifier: `END LOOP`). */
  opened: boolean;
  /** It stood where a statement of the body starts. */
  startsStatement: boolean;
}

/**
 * Matches the blocks of a compound statement's body at parenthesis depth 0: BEGIN, IF, CASE (statement
 * or expression), LOOP, WHILE, REPEAT, FOR (MariaDB) against END and `END IF`, `END CASE`, `END LOOP`…
 * `IF(…)` and `REPEAT(…)` the functions, `IF [NOT] EXISTS` and `FOR UPDATE` open nothing: IF and FOR
 * open a block only where a statement starts, REPEAT only when no parenthesis follows. An END closes the
 * innermost block of its kind (plain END: BEGIN or CASE), dropping any left open inside it, so one
 * misread keyword inside a block cannot swallow the statements after it. Each token is seen once;
 * closing pops each block once.
 */
class Blocks {
  private readonly stack: BlockKind[] = [];
  private readonly counts = new Map<BlockKind, number>();
  private prev: Previous = { kind: undefined, word: undefined, opened: false, startsStatement: false };
  /** An END waits for the next token: its qualifier, or the start of what follows. */
  private pendingEnd = false;
  /** An IF or REPEAT waits for the next token to tell the statement from the function or `IF EXISTS`. */
  private pendingOpen: { kind: 'if' | 'repeat'; startsStatement: boolean } | undefined;

  constructor(opensBlock: boolean) {
    if (opensBlock) this.push('begin');
  }

  /** How many blocks are open: a semicolon ends the statement only at 0. */
  get depth(): number {
    return this.stack.length;
  }

  /** Resolves an END or IF/REPEAT waiting for this token; whether the token was END's qualifier. */
  settle(t: Token, word: string | undefined): boolean {
    let consumed = false;
    if (this.pendingEnd) {
      this.pendingEnd = false;
      consumed = word !== undefined && QUALIFIERS.has(word);
      this.close(consumed ? [word as BlockKind] : ['begin', 'case']);
    }
    if (this.pendingOpen) {
      const { kind, startsStatement } = this.pendingOpen;
      this.pendingOpen = undefined;
      const parenthesis = t.kind === 'open-paren';
      const functionLike = kind === 'if' ? parenthesis || word === 'exists' || word === 'not' : parenthesis;
      // `prev` is still the IF or REPEAT.
      if (!functionLike || (kind === 'if' && startsStatement)) this.open(kind);
    }
    return consumed;
  }

  /** Reads a token outside the lead: `word` is a word lower-cased, or an operator's text. */
  step(t: Token, word: string | undefined, parens: number, consumed: boolean): void {
    // Read off the previous token before this one replaces it.
    const startsStatement = this.startsStatement();
    const identifier = this.identifierHere();
    const afterHeader = this.afterHeader();
    this.prev = { kind: t.kind, word, opened: false, startsStatement };
    if (parens > 0 || t.kind !== 'word' || consumed) return;
    switch (word) {
      case 'begin':
        if (!identifier) this.open(word);
        return;
      case 'end':
        if (!identifier) this.pendingEnd = true;
        return;
      case 'case': case 'loop': case 'while':
        this.open(word);
        return;
      case 'for':
        if (startsStatement) this.open(word);
        return;
      case 'if': case 'repeat':
        this.pendingOpen = { kind: word, startsStatement: startsStatement || afterHeader };
    }
  }

  private open(kind: BlockKind) {
    this.push(kind);
    this.prev.opened = true;
  }

  private push(kind: BlockKind) {
    this.stack.push(kind);
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** Pops down to the innermost block of one of `kinds`, if one is open. */
  private close(kinds: BlockKind[]) {
    if (!kinds.some((k) => (this.counts.get(k) ?? 0) > 0)) return;
    for (;;) {
      const top = this.stack.pop()!;
      this.counts.set(top, this.counts.get(top)! - 1);
      if (kinds.includes(top)) return;
    }
  }

  /** Whether the token being read (the one after `prev`) stands where a statement of the body starts. */
  private startsStatement(): boolean {
    const { kind, word, opened } = this.prev;
    if (kind === 'semicolon') return true;
    // After a label's colon (`lbl: LOOP`); other operators continue an expression.
    if (kind === 'operator') return word === ':';
    switch (word) {
      case 'begin': case 'loop': case 'repeat':
        return opened;
      case 'then': case 'else': case 'row':
        return true;
      case 'do':
        // WHILE … DO, an event's DO: a statement follows. The DO statement itself takes an expression.
        return !this.prev.startsStatement;
      default:
        return false;
    }
  }

  /** Whether, outside any block, the previous token may end a routine's header (its parameters, a characteristic). */
  private afterHeader(): boolean {
    if (this.stack.length > 0) return false;
    const { kind, word } = this.prev;
    return kind === 'close-paren' || kind === 'string' || (kind === 'word' && HEADER_END.has(word!));
  }

  /** Whether a BEGIN or END read now is an identifier: after an operator (not a label's colon) or a word that precedes a name. */
  private identifierHere(): boolean {
    const { kind, word } = this.prev;
    if (kind === 'operator') return word !== ':';
    return kind === 'word' && BEFORE_IDENTIFIER.has(word!);
  }
}
