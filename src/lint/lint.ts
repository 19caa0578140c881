// `sqlmig lint`: every deploy section through the PostgreSQL parser (on PostgreSQL projects), findings at their file line.
import { POSTGRES, type Dialect } from '../core/dialect.js';
import type { Diagnostic, SourcePosition } from '../core/diagnostic.js';
import { requirementsOf, type MigrationGraph } from '../core/graph.js';
import { isSignificant } from '../core/lexer.js';
import { LINT_RULES } from '../core/lint-rules.js';
import type { Migration, Section } from '../core/migration.js';
import { PositionCursor, Utf8Cursor } from '../core/text.js';
import { declaredValues, missingValues, redactValues } from '../core/variable-values.js';
import { fileOffsetOf, substituteSection, type VariableValues } from '../core/variables.js';
import { InputError } from '../errors.js';
import { loadPgParser, type PgParser } from './pg-parser.js';
import { checkStatement, tablesOf } from './statement-rules.js';

export interface LintFinding {
  rule: string;
  migration: string;
  message: string;
  /** The safe way to make the change. */
  fix: string;
  position: SourcePosition;
}

export interface LintReport {
  findings: LintFinding[];
  /** Findings the file opted out of with `-- allow: rule`. */
  allowed: LintFinding[];
  /** Sections the PostgreSQL parser rejects. */
  syntaxErrors: Diagnostic[];
  /** Rules not run because they read PostgreSQL's grammar and the project is in another dialect. */
  skippedRules: string[];
}

export interface LintOptions {
  /** Lint only these migrations (the graph is still used whole for unordered siblings). */
  only?: ReadonlySet<string>;
  /** Values of the variables files declare, as for `up`: the parser reads the SQL that would run. Findings show them as `:name`. */
  vars?: Readonly<Record<string, string>>;
}

interface Touch { migration: Migration; table: string; position: SourcePosition }

/** The rules that need no SQL grammar: they run on every dialect. */
const NEUTRAL_RULES = new Set(['irreversible']);

/** Lints a project read in `project.dialect` (PostgreSQL when absent). */
export async function lintProject(project: MigrationGraph & { dialect?: Dialect }, options: LintOptions = {}): Promise<LintReport> {
  const values = declaredValues(project.order, options.vars);
  const missing = missingValues(project.order, values);
  if (missing.length > 0) throw new InputError(missing);
  const pgGrammar = project.dialect?.pgGrammar ?? true;
  // Without PostgreSQL's grammar, run what needs none; never report a PostgreSQL parse error for another dialect.
  const parser = pgGrammar ? await loadPgParser() : undefined;
  const skippedRules = pgGrammar ? [] : [...LINT_RULES.keys()].filter((r) => !NEUTRAL_RULES.has(r));
  const report: LintReport = { findings: [], allowed: [], syntaxErrors: [], skippedRules };
  const touches: Touch[] = [];
  for (const m of project.order) {
    const selected = !options.only || options.only.has(m.name);
    const raw: Omit<LintFinding, 'fix'>[] = [];
    lintMigration(parser, project.dialect, m, values, selected ? raw : [], touches, selected ? report.syntaxErrors : []);
    if (selected) file(report, m, raw, values);
  }
  const siblings = unorderedSiblings(project, touches).filter((f) => !options.only || options.only.has(f.migration));
  for (const f of siblings) file(report, project.byName.get(f.migration)!, [f], values);
  const byPlace = (a: LintFinding, b: LintFinding) =>
    (a.position.path < b.position.path ? -1 : a.position.path > b.position.path ? 1 : 0) || a.position.line - b.position.line || a.position.column - b.position.column;
  report.findings.sort(byPlace);
  report.allowed.sort(byPlace);
  return report;
}

function file(report: LintReport, m: Migration, raw: Omit<LintFinding, 'fix'>[], values: VariableValues): void {
  for (const f of raw) {
    // A finding names what the parser read: a table in a schema given as a variable shows its placeholder.
    const finding = { ...f, message: redactValues(f.message, values), fix: LINT_RULES.get(f.rule)!.fix };
    (m.allow.includes(f.rule) ? report.allowed : report.findings).push(finding);
  }
}

function lintMigration(
  parser: PgParser | undefined, dialect: Dialect | undefined, m: Migration, values: VariableValues, out: Omit<LintFinding, 'fix'>[],
  touches: Touch[], syntaxErrors: Diagnostic[],
): void {
  if (!m.revert) {
    out.push({ rule: 'irreversible', migration: m.name, message: `${m.name} has no "-- revert:" section`, position: { path: m.path, line: 1, column: 1 } });
  }
  if (!parser) return;
  // The SQL that would run: with the values of the file's variables.
  const declared = new Set(m.vars.map((v) => v.name));
  const bound = (section: Section) => (declared.size > 0 ? substituteSection(section, dialect ?? POSTGRES, declared, values) : section);
  const parse = (section: Section) => parseSection(parser, dialect, m, bound(section), syntaxErrors, values);
  for (const section of [m.verify, m.revert]) if (section) parse(section);
  const statements = parse(m.deploy);
  const created = new Set<string>();
  for (const { node, position } of statements) {
    for (const f of checkStatement(node, created)) out.push({ ...f, migration: m.name, position });
    const tables = tablesOf(node);
    for (const t of tables.touched) touches.push({ migration: m, table: t, position });
    for (const t of tables.created) created.add(t);
  }
}

/**
 * Parses a section; positions point at each statement's first token in the file. Offsets only grow,
 * so both conversions (bytes to characters, characters to line and column) move forward through the
 * text: linear in the section's size however many statements it holds.
 */
function parseSection(
  parser: PgParser, dialect: Dialect | undefined, m: Migration, section: Section, syntaxErrors: Diagnostic[], values: VariableValues,
) {
  const starts = (dialect ?? POSTGRES).tokenize(section.sql).tokens.filter(isSignificant).map((t) => t.start);
  // An empty section is valid for sqlmig (placeholder deploy, "nothing to undo" revert); the parser refuses it.
  if (starts.length === 0) return [];
  const outcome = parser.parse(section.sql);
  const lines = new PositionCursor(m.text);
  const bytes = new Utf8Cursor(section.sql);
  const at = (offset: number): SourcePosition => ({ path: m.path, ...lines.position(fileOffsetOf(section, offset)) });
  if (!outcome.ok) {
    syntaxErrors.push({
      severity: 'error', code: 'syntax-error', message: `${m.name}: ${redactValues(outcome.message, values)}`,
      hint: 'the PostgreSQL parser rejects this section; sqlmig up would fail on it', position: at(bytes.offsetOf(outcome.byteOffset)),
    });
    return [];
  }
  // The parser's statement offsets count UTF-8 bytes and include the blanks before a statement.
  let next = 0;
  return outcome.statements.map((s) => {
    const offset = bytes.offsetOf(s.byteOffset);
    while (next < starts.length && starts[next] < offset) next++;
    return { node: s.node, position: at(starts[next] ?? offset) };
  });
}

/**
 * Two migrations that touch the same table with no path between them in the graph are ordered only
 * by their names. Each later one is reported once per table, naming the nearest such earlier one.
 */
function unorderedSiblings(project: MigrationGraph, touches: Touch[]): Omit<LintFinding, 'fix'>[] {
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (name: string) => {
    let set = ancestors.get(name);
    if (!set) { set = new Set(requirementsOf(project, name)); ancestors.set(name, set); }
    return set;
  };
  const byTable = new Map<string, Touch[]>();
  for (const t of touches) {
    const list = byTable.get(t.table) ?? [];
    if (list.at(-1)?.migration !== t.migration) list.push(t);
    byTable.set(t.table, list);
  }
  const findings: Omit<LintFinding, 'fix'>[] = [];
  for (const [table, list] of byTable) {
    for (let j = 1; j < list.length; j++) {
      const later = list[j];
      const earlier = list.slice(0, j).reverse().find((e) => !ancestorsOf(later.migration.name).has(e.migration.name));
      if (!earlier) continue;
      findings.push({
        rule: 'unordered-siblings', migration: later.migration.name, position: later.position,
        message: `${later.migration.name} and ${earlier.migration.name} both touch table ${table}, but nothing orders them `
          + `(add "-- requires: ${earlier.migration.name}" to ${later.migration.name})`,
      });
    }
  }
  return findings;
}
