// Graph + history -> the steps of a run (up, down) and the state of every migration (status). Pure.
import type { Checked, Diagnostic } from './diagnostic.js';
import type { HistoryRow } from './history.js';
import { requirementsOf, type MigrationGraph } from './graph.js';
import type { Migration, Section } from './migration.js';

/** One unit of work: deploy a migration, or revert one. */
export interface Step {
  action: 'deploy' | 'revert';
  name: string;
  /** The file, when it exists (a revert may run from the history alone). */
  migration?: Migration;
  /** The SQL to run: the deploy section, or the revert section (from the file, else from the history). */
  sql: string;
  /** Where `sql` sits in the file, for error positions; absent when it comes from the history. */
  section?: Section;
  verify?: Section;
  transactional: boolean;
}

export type MigrationState = 'applied' | 'pending' | 'drifted' | 'missing' | 'failed';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  path?: string;
  seq?: number;
  appliedAt?: Date;
  appliedBy?: string;
  /** The checksum recorded at apply time and the file's checksum now (they differ when drifted). */
  appliedChecksum?: string;
  fileChecksum?: string;
  failedStatement?: number;
  error?: string;
}

/** Every migration's state: files in apply order, then applied ones whose file is gone, by sequence. */
export function migrationStatuses(project: MigrationGraph, history: readonly HistoryRow[]): MigrationStatus[] {
  const rows = new Map(history.map((r) => [r.name, r]));
  const statuses: MigrationStatus[] = project.order.map((m) => {
    const row = rows.get(m.name);
    const status: MigrationStatus = { name: m.name, state: 'pending', path: m.path, fileChecksum: m.checksum };
    if (row) {
      status.state = row.status === 'failed' ? 'failed' : row.checksum === m.checksum ? 'applied' : 'drifted';
      addRecorded(status, row);
    }
    return status;
  });
  for (const row of history) {
    if (!project.byName.has(row.name)) {
      statuses.push(addRecorded({ name: row.name, state: row.status === 'failed' ? 'failed' : 'missing' }, row));
    }
  }
  return statuses;
}

/** What the history says of a migration, added to its status (plain assignments: this runs for every row). */
function addRecorded(status: MigrationStatus, row: HistoryRow): MigrationStatus {
  status.seq = row.seq;
  status.appliedAt = row.appliedAt;
  status.appliedBy = row.appliedBy;
  status.appliedChecksum = row.checksum;
  if (row.failedStatement !== null) status.failedStatement = row.failedStatement;
  if (row.error !== null) status.error = row.error;
  return status;
}

/**
 * Problems that stop every run: a failed `transaction: off` migration (until `resolve`), and — unless
 * allowed — drift (an applied file edited) or a missing file. Each names the file and both checksums.
 */
export function integrityProblems(statuses: readonly MigrationStatus[], allowDrift: boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const s of statuses) {
    const position = s.path ? { path: s.path, line: 1, column: 1 } : undefined;
    if (s.state === 'failed') {
      problems.push({
        severity: 'error', code: 'failed-migration', position,
        message: `"${s.name}" failed${s.failedStatement ? ` at statement ${s.failedStatement}` : ''} outside a transaction and may be half-applied`
          + (s.error ? `: ${s.error}` : ''),
        hint: `repair the database by hand, then run "sqlmig resolve ${s.name} --applied" or "--reverted"`,
      });
    } else if (!allowDrift && s.state === 'drifted') {
      problems.push({
        severity: 'error', code: 'drift', position,
        message: `"${s.name}" was edited after it was applied (applied ${short(s.appliedChecksum)}, file now ${short(s.fileChecksum)})`,
        hint: 'restore the file as it was applied and put the change in a new migration, or rerun with --allow-drift',
      });
    } else if (!allowDrift && s.state === 'missing') {
      problems.push({
        severity: 'error', code: 'missing-file', position,
        message: `"${s.name}" is applied (checksum ${short(s.appliedChecksum)}) but its file is gone`,
        hint: 'restore the file, revert it with "sqlmig down --only NAME" (its revert SQL is stored), or rerun with --allow-drift',
      });
    }
  }
  return problems;
}

const short = (checksum: string | undefined) => (checksum ?? '?').slice(0, 12);

/** Pending migrations in apply order; with `to`, only NAME and what it requires. */
export function planUp(project: MigrationGraph, history: readonly HistoryRow[], options: { to?: string } = {}): Checked<Step[]> {
  const recordedNames = new Set(history.map((r) => r.name));
  let candidates = project.order;
  if (options.to !== undefined) {
    if (!project.byName.has(options.to)) return unknownName(options.to, 'up --to');
    const wanted = new Set([...requirementsOf(project, options.to), options.to]);
    candidates = candidates.filter((m) => wanted.has(m.name));
  }
  const steps = candidates.filter((m) => !recordedNames.has(m.name)).map((m): Step => ({
    action: 'deploy', name: m.name, migration: m, sql: m.deploy.sql, section: m.deploy, verify: m.verify, transactional: m.transactional,
  }));
  return { value: steps, diagnostics: [] };
}

export type DownSelection = { to: string } | { count: number } | { only: string } | { all: true };

/**
 * Applied migrations to revert, in reverse order of application. Every one must have a revert (the
 * file's section, or the SQL stored at apply time when the file is gone); otherwise nothing runs.
 */
export function planDown(project: MigrationGraph, history: readonly HistoryRow[], selection: DownSelection): Checked<Step[]> {
  const applied = history.filter((r) => r.status === 'applied').sort((a, b) => b.seq - a.seq);
  let chosen: HistoryRow[];
  if ('all' in selection) chosen = applied;
  else if ('count' in selection) chosen = applied.slice(0, selection.count);
  else {
    const name = 'to' in selection ? selection.to : selection.only;
    const target = applied.find((r) => r.name === name);
    if (!target) return notApplied(name, project, 'to' in selection ? 'down --to' : 'down --only');
    chosen = 'to' in selection ? applied.filter((r) => r.seq > target.seq) : [target, ...appliedDependents(project, applied, name)];
    chosen.sort((a, b) => b.seq - a.seq);
  }
  const diagnostics: Diagnostic[] = [];
  const steps: Step[] = [];
  for (const row of chosen) {
    const migration = project.byName.get(row.name);
    if (migration?.revert) {
      steps.push({ action: 'revert', name: row.name, migration, sql: migration.revert.sql, section: migration.revert, transactional: migration.transactional });
    } else if (!migration && row.revertSql !== null) {
      steps.push({ action: 'revert', name: row.name, sql: row.revertSql, transactional: row.transactional });
    } else {
      diagnostics.push({
        severity: 'error', code: 'irreversible',
        message: `"${row.name}" has no revert section${migration ? '' : ' (its file is gone and none was stored)'}, so down cannot cross it`,
        hint: migration ? 'add a "-- revert:" section to the file (an empty one if nothing needs undoing)' : 'revert it by hand, then remove its history row with sqlmig resolve NAME --reverted',
        position: migration ? { path: migration.path, line: 1, column: 1 } : undefined,
      });
    }
  }
  return diagnostics.length > 0 ? { value: [], diagnostics } : { value: steps, diagnostics };
}

/** Applied rows that require `name`, directly or not, by the requires recorded at apply time or in the files. */
function appliedDependents(project: MigrationGraph, applied: readonly HistoryRow[], name: string): HistoryRow[] {
  const requiresOf = (r: HistoryRow) => new Set([...r.requires, ...(project.byName.get(r.name)?.requires.map((q) => q.name) ?? [])]);
  const found = new Set([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of applied) {
      if (!found.has(r.name) && [...requiresOf(r)].some((q) => found.has(q))) { found.add(r.name); grew = true; }
    }
  }
  found.delete(name);
  return applied.filter((r) => found.has(r.name));
}

function unknownName(name: string, option: string): Checked<Step[]> {
  return {
    value: [],
    diagnostics: [{ severity: 'error', code: 'unknown-migration', message: `${option}: unknown migration "${name}"`, hint: 'run sqlmig graph to list the names' }],
  };
}

function notApplied(name: string, project: MigrationGraph, option: string): Checked<Step[]> {
  if (!project.byName.has(name)) return unknownName(name, option);
  return {
    value: [],
    diagnostics: [{ severity: 'error', code: 'not-applied', message: `${option}: "${name}" is not applied`, hint: 'sqlmig status shows what is applied' }],
  };
}
