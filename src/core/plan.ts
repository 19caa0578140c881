// Graph + history -> the steps of a run (up, down) and the state of every migration (status). Pure.
import type { Checked, Diagnostic } from './diagnostic.js';
import type { HistoryRow } from './history.js';
import { requirementsOf, type MigrationGraph } from './graph.js';
import type { Migration, Section } from './migration.js';
import { isDrift, repeatableChanged, reviewHistory, type HistoryReview, type RequirementConflict } from './drift.js';

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
  /** A repeatable file applied before and changed since: its history row is replaced (it moves to the end of the history). */
  reapply?: boolean;
}

export type MigrationState = 'applied' | 'pending' | 'drifted' | 'missing' | 'failed';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  path?: string;
  seq?: number;
  appliedAt?: Date;
  appliedBy?: string;
  /** The checksum recorded at apply time (an older release's, until a writing run upgrades it) and the file's checksum now. */
  appliedChecksum?: string;
  fileChecksum?: string;
  /** Why a file is drifted: its deploy section changed, and/or requires added since that the history contradicts. */
  drift?: { deploy: boolean; requires: RequirementConflict[] };
  /** A missing file that seems renamed: the pending file with the same deploy section. */
  renamedTo?: string;
  /** A pending file that seems to be a missing one renamed. */
  renamedFrom?: string;
  /** A repeatable file applied before and changed since (pending: `up` re-applies it). */
  changed?: boolean;
  failedStatement?: number;
  error?: string;
}

/**
 * Every migration's state: files in apply order, then applied ones whose file is gone, by sequence.
 * `review`: the history compared with the files, when the run has it already.
 */
export function migrationStatuses(
  project: MigrationGraph, history: readonly HistoryRow[], review = reviewHistory(project, history),
): MigrationStatus[] {
  const { index, comparisons } = review;
  const statuses: MigrationStatus[] = project.order.map((m) => {
    const row = index.rows.get(m.name);
    const status: MigrationStatus = { name: m.name, state: 'pending', path: m.path, fileChecksum: m.checksum };
    const c = comparisons.get(m.name);
    if (row) {
      addRecorded(status, row);
      if (row.status === 'failed') status.state = 'failed';
      else if (repeatableChanged(m, review)) status.changed = true;
      else if (c && isDrift(c)) {
        status.state = 'drifted';
        status.drift = { deploy: c.deploy === 'changed', requires: c.conflicts };
      } else status.state = 'applied';
    } else {
      const from = index.renamedFrom.get(m.name);
      if (from !== undefined) status.renamedFrom = from;
    }
    return status;
  });
  for (const row of history) {
    if (!project.byName.has(row.name)) {
      const status = addRecorded({ name: row.name, state: row.status === 'failed' ? 'failed' : 'missing' }, row);
      const to = index.renamedTo.get(row.name);
      if (to !== undefined) status.renamedTo = to;
      statuses.push(status);
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
 * Problems that stop every run: a failed `transaction: off` migration (until `resolve`), and drift (an
 * applied file edited, a requires the history contradicts), a missing file or a rename. With
 * `allowDrift` the last three come back as warnings without hints, one per file: what the run allowed.
 */
export function integrityProblems(statuses: readonly MigrationStatus[], allowDrift: boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const paths = new Map(statuses.map((s) => [s.name, s.path]));
  const severity = allowDrift ? 'warning' : 'error';
  const add = ({ hint, ...d }: Omit<Diagnostic, 'severity'>) => problems.push(allowDrift ? { ...d, severity } : { ...d, severity, hint });
  for (const s of statuses) {
    const position = s.path ? { path: s.path, line: 1, column: 1 } : undefined;
    if (s.state === 'failed') {
      problems.push({
        severity: 'error', code: 'failed-migration', position,
        message: `"${s.name}" failed${s.failedStatement ? ` at statement ${s.failedStatement}` : ''} outside a transaction and may be half-applied`
          + (s.error ? `: ${s.error}` : ''),
        hint: `repair the database by hand, then run "sqlmig resolve ${s.name} --applied" or "--reverted"`,
      });
    } else if (s.state === 'drifted' && s.drift) {
      add(driftProblem(s, s.drift, position));
    } else if (s.state === 'missing' && s.renamedTo !== undefined) {
      const to = paths.get(s.renamedTo);
      add({
        code: 'renamed-file', position: to ? { path: to, line: 1, column: 1 } : undefined,
        message: `"${s.name}" is applied but its file is gone, and the pending "${s.renamedTo}" holds the same deploy section: renamed?`,
        hint: `if it was renamed, run "sqlmig resolve ${s.name} --renamed-to ${s.renamedTo}" (the history row takes the new name and keeps its place); `
          + `otherwise restore "${s.name}", or rerun with --allow-drift to apply "${s.renamedTo}" as a new migration`,
      });
    } else if (s.state === 'missing') {
      add({
        code: 'missing-file', position,
        message: `"${s.name}" is applied (checksum ${short(s.appliedChecksum)}) but its file is gone`,
        hint: 'restore the file, revert it with "sqlmig down --only NAME" (its revert SQL is stored), or rerun with --allow-drift',
      });
    }
  }
  return problems;
}

/** One problem per drifted file: its edited deploy section, then each requires the history contradicts. */
function driftProblem(s: MigrationStatus, drift: NonNullable<MigrationStatus['drift']>, position: Diagnostic['position']): Omit<Diagnostic, 'severity'> {
  const names = (applied: boolean) => drift.requires.filter((r) => (r.appliedSeq !== undefined) === applied).map((r) => `"${r.name}"`);
  const after = names(true);
  const absent = names(false);
  const requires = [
    after.length > 0 ? `${after.join(' and ')}, which the history applied after it` : '',
    absent.length > 0 ? `${absent.join(' and ')}, which ${absent.length > 1 ? 'are' : 'is'} not applied` : '',
  ].filter(Boolean).join(', and ');
  const edited = `"${s.name}" was edited after it was applied (applied ${short(s.appliedChecksum)}, file now ${short(s.fileChecksum)})`;
  const message = !drift.deploy ? `"${s.name}" requires ${requires}` : requires ? `${edited}; it requires ${requires}` : edited;
  const first = drift.requires[0];
  return {
    code: 'drift', message,
    position: !drift.deploy && first && position ? { path: position.path, line: first.line, column: first.column } : position,
    hint: drift.deploy
      ? `restore the file as it was applied and put the change in a new migration; to keep the edit, "sqlmig resolve ${s.name} --accept"; or rerun with --allow-drift`
      : `that order never ran: remove the requirement, or revert "${s.name}" and apply it again after what it requires (sqlmig down --only ${s.name}, then sqlmig up); `
        + `"sqlmig resolve ${s.name} --accept" records the requires as written`,
  };
}

const short = (checksum: string | undefined) => (checksum ?? '?').slice(0, 12);

/**
 * Pending migrations in apply order, with the repeatable files changed since they were applied; with
 * `to`, only NAME and what it requires.
 */
export function planUp(
  project: MigrationGraph, history: readonly HistoryRow[], options: { to?: string } = {}, review = reviewHistory(project, history),
): Checked<Step[]> {
  const { index } = review;
  let candidates = project.order;
  if (options.to !== undefined) {
    if (!project.byName.has(options.to)) return unknownName(options.to, 'up --to');
    const wanted = new Set([...requirementsOf(project, options.to), options.to]);
    candidates = candidates.filter((m) => wanted.has(m.name));
  }
  const steps: Step[] = [];
  for (const m of candidates) {
    const row = index.rows.get(m.name);
    if (row && !repeatableChanged(m, review)) continue;
    steps.push({
      action: 'deploy', name: m.name, migration: m, sql: m.deploy.sql, section: m.deploy, verify: m.verify, transactional: m.transactional,
      ...(row ? { reapply: true } : {}),
    });
  }
  return { value: steps, diagnostics: [] };
}

export type DownSelection = { to: string } | { count: number } | { only: string } | { all: true };

/**
 * Applied migrations to revert, in reverse order of application — and before any of them, each applied
 * repeatable file that requires one, directly or not. Every one must have a revert (the file's
 * section, or the SQL stored at apply time when the file is gone); otherwise nothing runs.
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
  const first = repeatablesFirst(project, applied, chosen, 'to' in selection ? selection.to : undefined);
  const diagnostics: Diagnostic[] = [];
  const steps: Step[] = [];
  for (const row of chosen) {
    const migration = project.byName.get(row.name);
    if (migration?.revert) {
      steps.push({ action: 'revert', name: row.name, migration, sql: migration.revert.sql, section: migration.revert, transactional: migration.transactional });
    } else if (!migration && row.revertSql !== null) {
      steps.push({ action: 'revert', name: row.name, sql: row.revertSql, transactional: row.transactional });
    } else {
      const because = first.get(row.name);
      diagnostics.push({
        severity: 'error', code: 'irreversible',
        message: because !== undefined
          ? `"${row.name}" is a repeatable file that requires "${because}", so down must revert it first, and it has no revert section`
          : `"${row.name}" has no revert section${migration ? '' : ' (its file is gone and none was stored)'}, so down cannot cross it`,
        hint: migration ? 'add a "-- revert:" section to the file (an empty one if nothing needs undoing)' : 'revert it by hand, then remove its history row with sqlmig resolve NAME --reverted',
        position: migration ? { path: migration.path, line: 1, column: 1 } : undefined,
      });
    }
  }
  return diagnostics.length > 0 ? { value: [], diagnostics } : { value: steps, diagnostics };
}

/**
 * Adds to `chosen` (reverse order of application) each applied repeatable file left out that requires
 * a chosen one, directly or not, placed before the first one it requires: a view goes before the table
 * it reads (DESIGN §2). A re-apply moves a repeatable file to the end of the history, so this is rare:
 * a requirement the history contradicts, not re-applied yet. `down --to NAME` keeps NAME whatever it is.
 * Returns each added name -> what it requires.
 */
function repeatablesFirst(project: MigrationGraph, applied: readonly HistoryRow[], chosen: HistoryRow[], keep?: string): Map<string, string> {
  const added = new Map<string, string>();
  const rows = new Map(applied.map((r) => [r.name, r]));
  for (const row of applied) {
    if (!project.byName.get(row.name)?.repeatable || chosen.includes(row) || row.name === keep) continue;
    const needs = transitiveRequires(project, rows, row.name);
    const at = chosen.findIndex((c) => needs.has(c.name));
    if (at === -1) continue;
    added.set(row.name, chosen[at].name);
    chosen.splice(at, 0, row);
  }
  return added;
}

/** What `name` requires, directly or not, by the requires its history row recorded and those its file says. */
function transitiveRequires(project: MigrationGraph, rows: ReadonlyMap<string, HistoryRow>, name: string): Set<string> {
  const found = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const next = stack.pop()!;
    const direct = [...(rows.get(next)?.requires ?? []), ...(project.byName.get(next)?.requires.map((r) => r.name) ?? [])];
    for (const r of direct) if (!found.has(r)) { found.add(r); stack.push(r); }
  }
  return found;
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
