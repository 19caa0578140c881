// sqlmig's public API: everything the CLI uses and library users may import; nothing else.
export { ExitCode, SqlmigError, InputError, UsageError, ConnectionError, LockError, IntegrityError, MigrationError, InterruptedError, type SqlFailureDetails } from './errors.js';
export type { Diagnostic, SourcePosition, Severity } from './core/diagnostic.js';
export type { Migration, Section, Requirement } from './core/migration.js';
export { parseMigration, type ParseInput } from './core/parse.js';
export { buildGraph, dependentsOf, requirementsOf, type MigrationGraph } from './core/graph.js';
export { renderGraph, graphJson, GRAPH_FORMATS, type GraphFormat, type GraphJsonMigration } from './core/render/graph.js';
export { renderDiagnostic, renderDiagnostics, summarizeDiagnostics } from './core/render/diagnostics.js';
export { renderCodeFrame } from './core/render/code-frame.js';
export { plainStyle, type Style } from './core/render/style.js';
export { scanFolder, type SourceFile } from './scan.js';
export { loadProject, type Project } from './project.js';
export { newMigration, type NewMigrationOptions, type NewMigrationResult } from './new-migration.js';
export { SQLMIG_VERSION } from './version.js';
export { Migrator, type MigratorOptions, type RunResult, type StepResult, type UpOptions, type DownOptions, type ProgressEvent } from './migrator.js';
export type { MigrationStatus, MigrationState, Step, DownSelection } from './core/plan.js';
export { DEFAULT_DATABASE_URL } from './drivers/index.js';
export { redactUrl } from './drivers/url.js';
export { plural } from './core/strings.js';
