// Loads a migrations folder into a validated graph, or throws one InputError listing every problem.
import { hasErrors, sortDiagnostics, type Diagnostic } from './core/diagnostic.js';
import { foreignFileOf } from './core/foreign-formats.js';
import { buildGraph, type MigrationGraph } from './core/graph.js';
import type { Migration } from './core/migration.js';
import { invalidNameReason } from './core/name.js';
import { POSTGRES, type Dialect } from './core/dialect.js';
import { parseMigration } from './core/parse.js';
import { InputError } from './errors.js';
import { scanFolder, type SourceFile } from './scan.js';

export interface Project extends MigrationGraph {
  dir: string;
  /** The dialect the files were read in: a project is run only on an engine of that dialect. */
  dialect: Dialect;
  /** Warnings found while loading (e.g. empty deploy sections). */
  warnings: Diagnostic[];
}

/** Scans, parses and validates every file; all problems are collected before anything is thrown. */
export async function loadProject(dir: string, dialect: Dialect = POSTGRES): Promise<Project> {
  return projectOf(dir, await scanFolder(dir), dialect);
}

/** Parses and validates sources as the folder `dir` (`sqlmig import` checks the files it would write, before writing them). */
export function projectOf(dir: string, sources: readonly SourceFile[], dialect: Dialect): Project {
  const diagnostics: Diagnostic[] = [];
  const migrations: Migration[] = [];
  const unparsed = new Set<string>();
  for (const source of sources) {
    const reason = invalidNameReason(source.name);
    if (reason) {
      diagnostics.push({
        severity: 'error', code: 'invalid-name', message: `invalid migration name "${source.name}": ${reason}`,
        hint: 'rename the file', position: { path: source.path, line: 1, column: 1 },
      });
    }
    // Another tool's file would be applied as a migration of its own (a down file during up).
    const foreign = foreignFileOf(source.relativePath);
    if (foreign) {
      diagnostics.push({
        severity: 'error', code: 'foreign-file', message: foreign.message, hint: foreign.hint,
        position: { path: source.path, line: 1, column: 1 },
      });
    }
    const parsed = parseMigration(source, dialect);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value && !reason && !foreign) migrations.push(parsed.value);
    else unparsed.add(source.name);
  }
  // Graph errors are only meaningful among well-formed files, but still reported in the same run.
  const graph = buildGraph(migrations, unparsed);
  diagnostics.push(...graph.diagnostics);
  sortDiagnostics(diagnostics);
  if (hasErrors(diagnostics) || !graph.value) throw new InputError(diagnostics);
  return { dir, dialect, ...graph.value, warnings: diagnostics };
}
