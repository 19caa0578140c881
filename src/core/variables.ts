// psql's variables in a file's SQL (`:name`, `:'name'`, `:"name"`): where they are, their substitution, and the way back to the file.
import type { Dialect } from './dialect.js';
import type { Token } from './lexer.js';
import type { Section, Substitution } from './migration.js';

/** `:name` inserts the value as it is, `:'name'` as a string literal, `:"name"` as a quoted identifier. */
export type VariableForm = 'raw' | 'literal' | 'identifier';

/** A reference to a variable: text[start, end), from its colon to the end of its name (or closing quote). */
export interface VariableReference {
  name: string;
  form: VariableForm;
  start: number;
  end: number;
}

/** name -> value, for the variables a run has values for. */
export type VariableValues = ReadonlyMap<string, string>;

const COLON = 58;
// psql's variable_char: ASCII letters, digits, `_`, and every byte beyond ASCII (so every such character).
const RAW = /[A-Za-z0-9_\u0080-\uffff]+/y;
const LITERAL = /'([A-Za-z0-9_\u0080-\uffff]+)'/y;
const IDENTIFIER = /"([A-Za-z0-9_\u0080-\uffff]+)"/y;

/**
 * The references to `declared` variables among `tokens` of `text`. Only a colon that the lexer found in
 * code counts — never one inside a string, a quoted identifier, a comment or a dollar body — and what
 * follows it is matched as psql's own lexer does: `:name` ends at the first character that is not a
 * letter, digit, `_` or beyond ASCII (`:a$b` is `:a` then `$b`), and psql reads `::` first, so a colon
 * that closes such a pair starts nothing (`x::int` is a cast, `x:::n` a cast to the value of `n`).
 */
export function variableReferences(text: string, tokens: readonly Token[], declared: (name: string) => boolean): VariableReference[] {
  const found: VariableReference[] = [];
  let colons = 0; // touching colons so far, this one included
  let previous: Token | undefined;
  for (const token of tokens) {
    const colon = token.kind === 'operator' && token.end === token.start + 1 && text.charCodeAt(token.start) === COLON;
    colons = !colon ? 0 : previous && colons > 0 && previous.end === token.start ? colons + 1 : 1;
    previous = token;
    if (colons % 2 === 0) continue;
    const reference = referenceAt(text, token.start);
    if (reference && declared(reference.name)) found.push(reference);
  }
  return found;
}

function referenceAt(text: string, colon: number): VariableReference | undefined {
  const next = text.charCodeAt(colon + 1);
  const [pattern, form]: [RegExp, VariableForm] = next === 39 ? [LITERAL, 'literal'] : next === 34 ? [IDENTIFIER, 'identifier'] : [RAW, 'raw'];
  pattern.lastIndex = colon + 1;
  const m = pattern.exec(text);
  if (!m) return undefined;
  return { name: m[1] ?? m[0], form, start: colon, end: pattern.lastIndex };
}

/** SQL with its variables substituted, and where (to map the server's positions back to the file). */
export interface Substituted {
  sql: string;
  substitutions: Substitution[];
}

/**
 * Substitutes the `declared` variables of `sql` with their values, as psql does: a literal and an
 * identifier quoted the dialect's way, a raw value inserted as it is and read as SQL in place — so a
 * quote in it opens a string that runs on into the text after it, as it does under `psql -v`. Unlike
 * psql, variables inside a raw value are not substituted in turn. Every declared name must have a value.
 */
export function substituteVariables(sql: string, dialect: Dialect, declared: ReadonlySet<string>, values: VariableValues): Substituted {
  const substitutions: Substitution[] = [];
  let out = '';
  // What is read: the SQL, or from a raw value that changes how the text after it is read, that value
  // spliced before the rest. source[0, shielded) is then the value (no variables in it), and source[shielded]
  // is at `origin` in `sql`.
  let source = sql;
  let shielded = 0;
  let origin = 0;
  for (;;) {
    const { tokens } = dialect.tokenize(source);
    let copied = 0;
    let spliced = false;
    for (const ref of variableReferences(source, tokens, (name) => declared.has(name))) {
      if (ref.start < shielded) continue;
      const value = values.get(ref.name);
      if (value === undefined) throw new Error(`variable "${ref.name}" has no value (checked before any run)`);
      const text = ref.form === 'raw' ? value : ref.form === 'literal' ? dialect.quoteLiteral(value) : dialect.quoteIdentifier(value);
      out += source.slice(copied, ref.start);
      const start = origin + ref.start - shielded;
      const end = origin + ref.end - shielded;
      substitutions.push({ name: ref.name, start, end, sentStart: out.length, sentEnd: out.length + text.length });
      if (ref.form === 'raw' && changesLexing(dialect, value)) {
        source = value + source.slice(ref.end);
        shielded = value.length;
        origin = end;
        spliced = true;
        break;
      }
      out += text;
      copied = ref.end;
    }
    if (!spliced) return { sql: out + source.slice(copied), substitutions };
  }
}

/**
 * Whether a raw value, read in place, leaves the lexer inside a string, a quoted name, a block comment or
 * a dollar body: psql then reads the text after it in that state, and so must we. A line comment in a
 * value ends with the value under psql (its lexer matches one within the value's own text), as it does here.
 */
function changesLexing(dialect: Dialect, value: string): boolean {
  return dialect.tokenize(value).problems.some((p) => p.code.startsWith('unterminated'));
}

/** A section with its variables substituted; offsets into its SQL map back to the file with `fileOffsetOf`. */
export function substituteSection(section: Section, dialect: Dialect, declared: ReadonlySet<string>, values: VariableValues): Section {
  const { sql, substitutions } = substituteVariables(section.sql, dialect, declared, values);
  return substitutions.length === 0 ? section : { sql, offset: section.offset, substitutions };
}

/**
 * The offset in the file's text of `offset` in `section.sql`. Inside a substituted value it is the
 * placeholder's: the file shows `:name`, never the value.
 */
export function fileOffsetOf(section: Section, offset: number): number {
  let shift = 0;
  for (const s of section.substitutions ?? []) {
    if (offset < s.sentStart) break;
    if (offset < s.sentEnd) return section.offset + s.start;
    shift = s.end - s.sentEnd;
  }
  return section.offset + offset + shift;
}
