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
export { Migrator, type MigratorOptions, type RunResult, type StepResult, type UpOptions, type DownOptions, type ProgressEvent, type ServerNotice } from './migrator.js';
export type { MigrationStatus, MigrationState, Step, DownSelection } from './core/plan.js';
export type { RequirementConflict } from './core/drift.js';
export type { ResolveAction, ResolveResult } from './resolve.js';
export { DEFAULT_DATABASE_URL, dialectOfUrl } from './drivers/index.js';
export { DIALECT_NAMES, dialectNamed, isDialectName, MYSQL, POSTGRES, SQLITE, type Dialect, type DialectName } from './core/dialect.js';
export { redactUrl } from './drivers/url.js';
export { plural } from './core/strings.js';
export { pgliteDriver } from './drivers/pglite.js';
export { sqliteDriver } from './drivers/sqlite.js';
export { openDriver } from './drivers/index.js';
export type {
  Driver, DriverCapabilities, Session, HistoryStore, HistoryRow, HistoryWrite, HistoryChange, HistoryEvent, MigrationLock, Scratch, ScratchDatabases,
} from './drivers/driver.js';
export { lintProject, type LintFinding, type LintReport, type LintOptions } from './lint/lint.js';
export { LINT_RULES, type LintRule } from './core/lint-rules.js';
export { verifyProject, type VerifyReport, type VerifyFileResult, type VerifyOptions, type VerifyStatus } from './verify/verify.js';
export { diffSnapshots, describeDifference, type Snapshot, type SnapshotDifference, type SnapshotFields } from './core/snapshot.js';
export { classifyDifference, type ClassifiedDifference, type DifferenceClass, type FieldChange, type FieldChangeKind } from './core/difference-class.js';
export { renderDifferences } from './core/render/differences.js';
export { unifiedDiff } from './core/line-diff.js';
export { LINT_FORMATS, renderGithubAnnotations, renderSarif, type LintFormat } from './core/render/lint-formats.js';
export { ciPathResolver, selectMigrations, type SelectionOptions } from './selection.js';
export { extensionsCreatedBy, type ExtensionUse } from './core/extensions.js';
