// `sqlmig import`: another tool's folder -> sqlmig files (never overwriting one), and its history table -> sqlmig's history.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { POSTGRES, type Dialect } from '../core/dialect.js';
import { adoptedNames } from '../core/import/adopt.js';
import type { Conversion, ImportedMigration, ImportTool, ToolName } from '../core/import/compose.js';
import { IMPORT_TOOL_NAMES, IMPORT_TOOLS, isToolName } from '../core/import/tools.js';
import { nameKey } from '../core/name.js';
import type { Step } from '../core/plan.js';
import { compareCodePoints } from '../core/strings.js';
import type { Session } from '../drivers/driver.js';
import { InputError, UsageError } from '../errors.js';
import type { Migrator } from '../migrator.js';
import { projectOf } from '../project.js';
import { scanFolder, type SourceFile } from '../scan.js';
import { displayDir, readImportSource } from './read-source.js';

export interface ImportOptions {
  /** The other tool: golang-migrate, dbmate, goose, sql-migrate, flyway, sqitch, diesel. */
  from: string;
  /** The folder of its migrations. */
  source: string;
  /** sqlmig's migrations folder, where the files go. */
  dir: string;
  /** The dialect the files are read in (default: the migrator's, else postgres). */
  dialect?: Dialect;
  /** With a migrator: the database whose history is adopted (the other tool's table read, the applied files recorded). */
  migrator?: Migrator;
  /** The other tool's history table, when not its default name (`schema_migrations`, `sqitch.changes`, …). */
  historyTable?: string;
  /** Convert, check and read the history, but write nothing. */
  dryRun?: boolean;
}

export interface ImportedFile {
  name: string;
  path: string;
  /** The source files it was made from (the source folder as given, joined with their paths in it). */
  from: string[];
  /** `unchanged`: the same file is already there (a rerun); `new`: written, or to be written in a dry run. */
  state: 'new' | 'unchanged';
}

export interface ImportResult {
  tool: ToolName;
  dryRun: boolean;
  files: ImportedFile[];
  /** What needs a human (a missing down, a Go migration not converted), at the source files. */
  warnings: Diagnostic[];
  /** With a database: the table read and the migrations recorded as applied (none run). */
  adopted?: { database: string; table: string; recorded: string[] };
}

const PLAIN_TABLE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * Converts the folder, checks what it would write together with the files already in `dir` (every
 * problem at once, at the source file's line), then — with a migrator — takes the lock, reads the
 * other tool's history, writes the files and records the applied ones in one transaction.
 */
export async function importMigrations(options: ImportOptions): Promise<ImportResult> {
  const tool = toolNamed(options.from);
  const table = options.historyTable ?? tool.history.table;
  if (!PLAIN_TABLE.test(table)) {
    throw new UsageError(`--history-table ${JSON.stringify(table)} is not a plain table name`, { hint: 'give NAME or SCHEMA.NAME, letters, digits and _ only' });
  }
  const dialect = options.migrator?.dialect ?? options.dialect ?? POSTGRES;
  const source = displayDir(options.source);
  const conversion = tool.convert(readImportSource(options.source), dialect);
  const notes = conversion.notes.map((d) => at(d, source));
  const planned = await plan(conversion, options.dir, dialect, notes, source);
  const write = () => writeFiles(planned.files, options.dir);
  const result: ImportResult = { tool: tool.name, dryRun: options.dryRun ?? false, files: planned.files.map((f) => f.file), warnings: planned.warnings };
  if (!options.migrator) {
    if (!options.dryRun) write();
    return result;
  }
  const run = await options.migrator.adopt(async (session, pending) => {
    const applied = await appliedKeys(session, tool, table, conversion);
    result.warnings = sortDiagnostics([...result.warnings, ...applied.warnings.map((d) => at(d, source))]);
    const adopted = adoptedNames(conversion, applied.keys, tool.name, table);
    if (adopted.diagnostics.length > 0) throw new InputError(adopted.diagnostics);
    // Written only now: a history that cannot be adopted leaves the folder as it was.
    if (!options.dryRun) write();
    const names = new Set(adopted.value);
    return pending.filter((step: Step) => names.has(step.name));
  }, { project: planned.project, dryRun: options.dryRun, reason: `sqlmig import --from ${tool.name}` });
  result.adopted = { database: run.database, table, recorded: run.steps.map((s) => s.name) };
  return result;
}

function toolNamed(name: string): ImportTool {
  if (isToolName(name)) return IMPORT_TOOLS[name];
  throw new UsageError(`unknown tool "${name}" for --from`, { hint: `the tools are ${IMPORT_TOOL_NAMES.join(', ')}` });
}

interface PlannedFile { file: ImportedFile; text: string }

/** The files to write, checked as the folder they would make; errors (the importer's and sqlmig's own) thrown together. */
async function plan(conversion: Conversion, dir: string, dialect: Dialect, notes: Diagnostic[], source: string) {
  const target = displayDir(dir);
  const existing = existsSync(dir) ? await scanFolder(dir) : [];
  const byKey = new Map(existing.map((s) => [nameKey(s.name), s]));
  const problems = [...notes];
  const files: PlannedFile[] = [];
  const written: SourceFile[] = [];
  const byPath = new Map<string, ImportedMigration>();
  for (const m of conversion.migrations) {
    const path = `${target}/${m.name}.sql`;
    const bytes = new TextEncoder().encode(m.text);
    const other = byKey.get(nameKey(m.name));
    const where = { path, line: 1, column: 1 };
    if (other && Buffer.compare(Buffer.from(other.bytes), Buffer.from(bytes)) !== 0) {
      problems.push({
        severity: 'error', code: 'import-would-overwrite', position: where,
        message: `${other.path} already exists and differs from what sqlmig import would write for ${m.from.join(', ')}`,
        hint: 'sqlmig import never overwrites a file: import into an empty folder (--dir), or move that file away',
      });
      continue;
    }
    files.push({ file: { name: m.name, path, from: m.from.map((f) => `${source}/${f}`), state: other ? 'unchanged' : 'new' }, text: m.text });
    byPath.set(path, m);
    if (!other) {
      byKey.set(nameKey(m.name), { path, relativePath: `${m.name}.sql`, name: m.name, bytes });
      written.push({ path, relativePath: `${m.name}.sql`, name: m.name, bytes });
    }
  }
  const sources = [...existing, ...written].sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
  let project;
  try {
    project = projectOf(target, sources, dialect);
    problems.push(...project.warnings.map((d) => toSource(d, byPath, source)));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.diagnostics.map((d) => toSource(d, byPath, source)));
  }
  sortDiagnostics(problems);
  if (!project || problems.some((d) => d.severity === 'error')) throw new InputError(problems);
  return { files, project, warnings: problems };
}

/** A problem in a file import would write, moved to the source line it was copied from (sqlmig's own header lines stay). */
function toSource(d: Diagnostic, byPath: ReadonlyMap<string, ImportedMigration>, source: string): Diagnostic {
  const m = d.position && byPath.get(d.position.path);
  const origin = m && m.origins[d.position!.line - 1];
  if (!m || !origin) return d;
  return { ...d, message: `${d.message} (imported as ${m.name})`, position: { path: `${source}/${origin.path}`, line: origin.line, column: d.position!.column } };
}

function at(d: Diagnostic, source: string): Diagnostic {
  return d.position ? { ...d, position: { ...d.position, path: `${source}/${d.position.path}` } } : d;
}

function writeFiles(files: readonly PlannedFile[], dir: string): void {
  for (const { file, text } of files) {
    if (file.state === 'unchanged') continue;
    const path = join(dir, `${file.name}.sql`);
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new InputError([{ severity: 'error', code: 'import-would-overwrite', message: `${file.path} appeared while importing`, hint: 'sqlmig import never overwrites a file' }]);
    }
  }
}

/**
 * The other tool's history, read with plain SQL on the migration session; a missing table is a usage
 * error that says which. Warnings (a Flyway repeatable file changed since it ran) come back with the keys.
 */
async function appliedKeys(session: Session, tool: ImportTool, table: string, conversion: Conversion): Promise<{ keys: string[]; warnings: Diagnostic[] }> {
  const { columns, orderBy } = tool.history;
  let rows: Record<string, unknown>[];
  try {
    rows = await session.query(`SELECT ${columns.join(', ')} FROM ${table}${orderBy ? ` ORDER BY ${orderBy}` : ''}`);
  } catch (error) {
    throw new UsageError(`cannot read ${tool.name}'s history table ${table}: ${(error as Error).message}`, {
      hint: `is this the database ${tool.name} migrated? A history table of another name: --history-table NAME`,
    });
  }
  const applied = tool.history.applied(rows, conversion, table);
  if (applied.diagnostics.some((d) => d.severity === 'error')) throw new InputError(applied.diagnostics);
  return { keys: applied.value, warnings: applied.diagnostics };
}
