// A run's variable values: which files lack one, steps bound to them, their revert as the history keeps it, and output that never shows them.
import type { Diagnostic } from './diagnostic.js';
import type { Dialect } from './dialect.js';
import { isVariableName, parseKeyedComment, splitList } from './directives.js';
import type { Migration } from './migration.js';
import type { Step } from './plan.js';
import { substituteSection, substituteVariables, variableReferences, type VariableValues } from './variables.js';

/**
 * The values of the variables that `migrations` declare, from `given` (name -> value: `--var`, the
 * environment, the config file, already merged); values of names no file declares are left out.
 */
export function declaredValues(migrations: readonly Migration[], given: Readonly<Record<string, string>> = {}): Map<string, string> {
  const values = new Map<string, string>();
  for (const m of migrations) {
    for (const { name } of m.vars) {
      if (Object.hasOwn(given, name)) values.set(name, given[name]);
    }
  }
  return values;
}

/** Every declared variable without a value, at its declaration: input errors, all reported together. */
export function missingValues(migrations: readonly Migration[], values: VariableValues): Diagnostic[] {
  return migrations.flatMap((m) => m.vars.filter((v) => !values.has(v.name)).map((v): Diagnostic => ({
    severity: 'error', code: 'missing-variable', message: `variable "${v.name}" has no value`,
    hint: `give it one: --var ${v.name}=VALUE, SQLMIG_VAR_${v.name} in the environment, or "vars": {"${v.name}": …} in sqlmig.config.json`,
    position: { path: m.path, line: v.line, column: v.column },
  })));
}

/**
 * The revert SQL the history keeps: as written, never with values. A file with variables gets a first
 * line `-- vars: a, b` (a comment to the server), so that a revert run from the history alone, its file
 * gone, still knows which of its `:name`s to substitute.
 */
export function storedRevertSql(m: Migration): string | null {
  if (!m.revert) return null;
  return m.vars.length > 0 ? `-- vars: ${m.vars.map((v) => v.name).join(', ')}\n${m.revert.sql}` : m.revert.sql;
}

/** The variables a stored revert SQL declares on its first line (see `storedRevertSql`). */
export function storedRevertVariables(sql: string): string[] {
  const eol = sql.indexOf('\n');
  const keyed = parseKeyedComment(eol === -1 ? sql : sql.slice(0, eol));
  if (keyed?.key !== 'vars') return [];
  return splitList(keyed.value).map((i) => i.item).filter(isVariableName);
}

/** The variables a step substitutes: its file's, or those its stored revert SQL names. */
export function stepVariables(step: Step): string[] {
  return step.migration ? step.migration.vars.map((v) => v.name) : storedRevertVariables(step.sql);
}

/**
 * Variables without a value that reverts run from the history use (their stored SQL declares them, and
 * they appear in it): found once the history is read.
 */
export function missingStoredValues(steps: readonly Step[], dialect: Dialect, values: VariableValues): Diagnostic[] {
  return steps.filter((s) => !s.migration).flatMap((s) => usedVariables(s.sql, dialect, stepVariables(s)).filter((name) => !values.has(name)).map((name): Diagnostic => ({
    severity: 'error', code: 'missing-variable',
    message: `variable "${name}" has no value, and the revert SQL of "${s.name}" (its file is gone) uses it`,
    hint: `give it one: --var ${name}=VALUE, SQLMIG_VAR_${name} in the environment, or "vars" in sqlmig.config.json`,
  })));
}

function usedVariables(sql: string, dialect: Dialect, declared: readonly string[]): string[] {
  if (declared.length === 0) return [];
  const names = new Set(declared);
  return [...new Set(variableReferences(sql, dialect.tokenize(sql).tokens, (name) => names.has(name)).map((r) => r.name))];
}

/**
 * The step as it runs: its SQL and verify section with the values substituted (their sections map
 * positions back to the file). Steps of files without variables come back as they are.
 */
export function bindStep(step: Step, dialect: Dialect, values: VariableValues): Step {
  const names = stepVariables(step);
  if (names.length === 0) return step;
  const declared = new Set(names);
  if (!step.section) return { ...step, sql: substituteVariables(step.sql, dialect, declared, values).sql };
  const section = substituteSection(step.section, dialect, declared, values);
  const verify = step.verify && substituteSection(step.verify, dialect, declared, values);
  return { ...step, sql: section.sql, section, verify };
}

/** Values shorter than this are masked only where they stand alone: masking every `a` would mangle every word. */
const SHORT = 4;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` (a database's message, a lint finding) with every value shown as its placeholder `:name`, in
 * any case (the server folds unquoted names to lower case). Longer values first, so that one value
 * holding another is masked whole.
 */
export function redactValues(text: string, values: VariableValues): string {
  const byLength = [...values].filter(([, v]) => v !== '').sort(([, a], [, b]) => b.length - a.length);
  if (byLength.length === 0) return text;
  const pattern = new RegExp(byLength.map(([, v]) => (v.length >= SHORT ? `(${escape(v)})` : `(?<![\\p{L}\\p{N}_])(${escape(v)})(?![\\p{L}\\p{N}_])`)).join('|'), 'giu');
  return text.replace(pattern, (...groups: unknown[]) => `:${byLength[groups.slice(1).findIndex((g) => g !== undefined)][0]}`);
}

/** `redactValues` on every string inside plain data (a verify report): arrays and objects are copied. */
export function redactValuesIn<T>(data: T, values: VariableValues): T {
  if (values.size === 0) return data;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactValues(value, values);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk(data) as T;
}
