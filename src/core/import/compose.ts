// The shape every importer returns, and how a converted migration's file text is composed line by line.
import type { Checked, Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { asDirectiveKey, colonlessDirective, markerOf, markerWithoutColon, misspeltDirective, parseKeyedComment } from '../directives.js';
import { normalizeNewlines } from '../text.js';

/** A file of the folder being imported: its path relative to that folder (`/`-separated), and its text when it was read. */
export interface ImportFile {
  path: string;
  /** Absent for files no importer reads (a goose `.go` migration is only named in the report). */
  text?: string;
}

/** Lines of a source file, each with its 1-based line number there, so that problems point at the source. */
export interface SourceLines {
  path: string;
  lines: { text: string; line: number }[];
}

/** Where a line of a written file came from. */
export interface Origin {
  path: string;
  line: number;
}

export interface ImportedMigration {
  /** The sqlmig name (its path in the new folder, without `.sql`). */
  name: string;
  /** What the other tool's history calls it: a version, a file name, a change name with its occurrence. */
  key: string;
  /** The file sqlmig writes. */
  text: string;
  /** For each line of `text` (index = line - 1), the source line it was copied from; undefined for lines sqlmig wrote. */
  origins: (Origin | undefined)[];
  /** The source files it was made from, for the report. */
  from: string[];
  /** Written with `-- repeatable: yes` (a Flyway `R__` file). */
  repeatable?: boolean;
  /** What the tool's history records as the source's checksum, where it re-runs a file that changed (Flyway's repeatables). */
  historyChecksum?: string;
}

/** A migration the importer could not convert (a goose Go file, a Flyway Java migration): reported, not written. */
export interface SkippedMigration {
  key: string;
  path: string;
}

export interface Conversion {
  /** In the other tool's order. */
  migrations: ImportedMigration[];
  skipped: SkippedMigration[];
  /** Problems and what needs a human, positioned in the source files (paths relative to the source folder). */
  notes: Diagnostic[];
  /** The project the other tool's history names, where one history serves several (sqitch's `%project`). */
  project?: string;
}

export type ToolName = 'golang-migrate' | 'dbmate' | 'goose' | 'sql-migrate' | 'flyway' | 'sqitch' | 'diesel';

/** Another tool: how its folder becomes sqlmig files, and how its history table says what ran. */
export interface ImportTool {
  name: ToolName;
  convert(files: readonly ImportFile[], dialect: Dialect): Conversion;
  history: {
    /** The table's default name, unquoted (`schema_migrations`, `sqitch.changes`). */
    table: string;
    columns: readonly string[];
    orderBy?: string;
    /** The keys of the migrations the history shows as applied, from its rows (as the engine returns them). */
    applied(rows: readonly Record<string, unknown>[], conversion: Conversion, table: string): Checked<string[]>;
  };
}

/** The lines of `text` (newlines normalised, BOM dropped) from 1-based `from` to `to` inclusive. */
export function linesOf(path: string, text: string, from = 1, to = Infinity): SourceLines {
  const all = normalizeNewlines(text).split('\n');
  // A final newline ends the last line; it does not start another.
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const lines = all.map((line, i) => ({ text: line, line: i + 1 })).filter((l) => l.line >= from && l.line <= to);
  return { path, lines };
}

export function textOf(source: SourceLines): string {
  return source.lines.map((l) => l.text).join('\n');
}

export interface MigrationParts {
  tool: ToolName;
  name: string;
  key: string;
  requires: readonly string[];
  transactional: boolean;
  repeatable?: boolean;
  historyChecksum?: string;
  from: string[];
  deploy: SourceLines;
  verify?: SourceLines;
  /** Absent: the file has no revert section (irreversible). */
  revert?: SourceLines;
}

/**
 * The sqlmig file: a header (`requires`, `transaction: off`, where it came from), the deploy SQL, then
 * `-- verify:` and `-- revert:` sections. Source lines are copied as they are, except comment lines
 * that sqlmig would read as a directive or a marker (sqitch's scripts start with `-- requires: x`): at
 * the top of the deploy SQL they would join the header, below it they are errors. They get the tool's
 * name in front (`-- (sqitch) requires: x`).
 */
export function composeMigration(parts: MigrationParts, dialect: Dialect): ImportedMigration {
  const out: { text: string; origin?: Origin }[] = [];
  const own = (text: string) => out.push({ text });
  const copy = (source: SourceLines) => {
    const comments = wholeLineComments(textOf(source), dialect);
    // Blank lines at the start and the end of a piece are left out.
    const filled = source.lines.map((l) => l.text.trim() !== '');
    const first = filled.indexOf(true), last = filled.lastIndexOf(true);
    for (const [i, l] of source.lines.entries()) {
      if (first === -1 || i < first || i > last) continue;
      const text = comments.has(i) && readAsDirective(l.text) ? `-- (${parts.tool}) ${l.text.replace(/^\s*--\s*/, '')}` : l.text;
      out.push({ text, origin: { path: source.path, line: l.line } });
    }
  };
  if (parts.repeatable) own('-- repeatable: yes');
  if (parts.requires.length > 0) own(`-- requires: ${parts.requires.join(', ')}`);
  if (!parts.transactional) own('-- transaction: off');
  own(`-- Imported from ${parts.tool}: ${parts.from.join(', ')}`);
  own('');
  copy(parts.deploy);
  if (parts.verify && parts.verify.lines.some((l) => l.text.trim() !== '')) {
    own('');
    own('-- verify:');
    copy(parts.verify);
  }
  if (parts.revert) {
    own('');
    own('-- revert:');
    copy(parts.revert);
  }
  return {
    name: parts.name, key: parts.key, from: parts.from,
    ...(parts.repeatable ? { repeatable: true } : {}),
    ...(parts.historyChecksum !== undefined ? { historyChecksum: parts.historyChecksum } : {}),
    text: `${out.map((l) => l.text).join('\n')}\n`,
    origins: out.map((l) => l.origin),
  };
}

/** Indexes of the lines that hold a `--` comment and nothing else (not inside a string or a dollar body). */
function wholeLineComments(text: string, dialect: Dialect): Set<number> {
  const lines = new Set<number>();
  let line = 0, scanned = 0;
  for (const t of dialect.tokenize(text).tokens) {
    if (t.kind !== 'line-comment') continue;
    for (; scanned < t.start; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
    if (text.slice(lineStart, t.start).trim() === '') lines.add(line);
  }
  return lines;
}

/** A header line sqlmig would read as a directive, a near-miss of one, or a section marker. */
function readAsDirective(line: string): boolean {
  const comment = line.trim();
  const keyed = parseKeyedComment(comment);
  if (keyed && (asDirectiveKey(keyed.key) || misspeltDirective(keyed.key))) return true;
  return colonlessDirective(comment) !== undefined || markerOf(comment) !== undefined || markerWithoutColon(comment) !== undefined;
}

/** A name made of what sqlmig allows: other characters become `_`. */
export function safeName(name: string): string {
  return name.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}_.\-/]/gu, '_').replace(/^[._]+/, '');
}

/** A note about a source file (its position relative to the source folder). */
export function note(
  severity: 'error' | 'warning', code: string, path: string, line: number, message: string, hint?: string,
): Diagnostic {
  return { severity, code, message, hint, position: { path, line, column: 1 } };
}

/** Compares decimal version strings of any length numerically (`9` before `10`). */
export function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, ''), y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** A decimal version without leading zeros (`000001` -> `1`), as the tools that store numbers keep it. */
export function numericKey(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

/** Truthy values of a boolean column, as PostgreSQL, SQLite (0/1) and MySQL (tinyint) return them. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true' || value === 1n;
}
