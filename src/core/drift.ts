// Applied files against their history rows: what is drift, what looks like a rename, what the history absorbs quietly. Pure.
import { legacyChecksum, migrationChecksum } from './checksum.js';
import type { MigrationGraph } from './graph.js';
import type { HistoryRow } from './history.js';
import type { Migration } from './migration.js';

/** A `requires` added to an applied file that the history contradicts. */
export interface RequirementConflict {
  name: string;
  /** Where the requirement is written. */
  line: number;
  column: number;
  /** The seq of the required file when it was applied after this one; absent when it is not applied. */
  appliedSeq?: number;
}

/** How an applied file compares with its row. */
export interface RowComparison {
  /**
   * `same`: the deploy section is what ran; `legacy`: it is, but the row holds the checksum of an older
   * release; `changed`: it is not (drift).
   */
  deploy: 'same' | 'legacy' | 'changed';
  /** Requires added since the apply that the history contradicts (drift). */
  conflicts: RequirementConflict[];
  /** The file's requires differ from the row's, and none is contradicted: the row can take them. */
  requiresChanged: boolean;
}

/** A quiet change to a row: it records nothing new, only what the history already shows. */
export interface HistoryUpdate {
  name: string;
  change: { checksum?: string; requires?: string[] };
}

/** The history as drift checks read it: rows by name, and the renames it suggests. */
export interface HistoryIndex {
  rows: ReadonlyMap<string, HistoryRow>;
  /** Missing file name -> the one pending file with the same checksum. */
  renamedTo: ReadonlyMap<string, string>;
  /** Pending file name -> the missing file it seems to be. */
  renamedFrom: ReadonlyMap<string, string>;
}

export function indexHistory(project: MigrationGraph, history: readonly HistoryRow[]): HistoryIndex {
  const rows = new Map(history.map((r) => [r.name, r]));
  const renamedTo = findRenames(project, history, rows);
  const renamedFrom = new Map([...renamedTo].map(([from, to]) => [to, from]));
  return { rows, renamedTo, renamedFrom };
}

/** Whether `m`'s deploy section is what `row` recorded, under today's checksum or the legacy one. */
export function compareDeploy(m: Migration, row: HistoryRow): RowComparison['deploy'] {
  if (row.checksum === m.checksum) return 'same';
  // The legacy checksum covered requires: those the row recorded, so that a requires added since is judged on its own.
  return row.checksum === legacyChecksum(row.requires, m.transactional, m.deploy.sql) ? 'legacy' : 'changed';
}

/**
 * Compares an applied file with its row. A requires added since the apply is fine when the history
 * applied that file before this one (lower seq); applied after it, or not at all, it is drift.
 */
export function compareWithRow(m: Migration, row: HistoryRow, index: HistoryIndex): RowComparison {
  const recorded = new Set(row.requires);
  const conflicts: RequirementConflict[] = [];
  for (const r of m.requires) {
    if (recorded.has(r.name)) continue;
    // A pending rename's row still carries the old name.
    const required = index.rows.get(r.name) ?? index.rows.get(index.renamedFrom.get(r.name) ?? '');
    if (required && required.seq < row.seq) continue;
    conflicts.push({ name: r.name, line: r.line, column: r.column, ...(required ? { appliedSeq: required.seq } : {}) });
  }
  const requiresChanged = m.requires.length !== recorded.size || m.requires.some((r) => !recorded.has(r.name));
  return { deploy: compareDeploy(m, row), conflicts, requiresChanged: requiresChanged && conflicts.length === 0 };
}

/**
 * Every applied row compared with its file, once: what statuses, the plan of `up` and the quiet
 * updates all read (a run needs the three, and the comparisons are per row).
 */
export interface HistoryReview {
  index: HistoryIndex;
  /** File name -> how it compares with its applied row (files without one are absent). */
  comparisons: ReadonlyMap<string, RowComparison>;
}

export function reviewHistory(project: MigrationGraph, history: readonly HistoryRow[]): HistoryReview {
  const index = indexHistory(project, history);
  const comparisons = new Map<string, RowComparison>();
  for (const row of history) {
    const m = project.byName.get(row.name);
    if (m && row.status === 'applied') comparisons.set(row.name, compareWithRow(m, row, index));
  }
  return { index, comparisons };
}

/** Whether a comparison shows drift: the deploy section changed, or a requires the history contradicts. */
export function isDrift(c: RowComparison): boolean {
  return c.deploy === 'changed' || c.conflicts.length > 0;
}

/**
 * Whether an applied repeatable file is due to be re-applied: its deploy section changed, or it now
 * requires what the history applied after it (or not at all) — a re-apply puts it after them. Such
 * a file is pending, never drifted.
 */
export function repeatableChanged(m: Migration, review: HistoryReview): boolean {
  const c = review.comparisons.get(m.name);
  return m.repeatable === true && c !== undefined && isDrift(c);
}

/**
 * What a writing run records without being asked, because the history already shows it: today's
 * checksum for a row holding a legacy one, and the file's requires when the history satisfies them.
 * Drifted rows are left alone (`resolve --accept` takes them). `review`: when the run has it already.
 */
export function historyUpdates(
  project: MigrationGraph, history: readonly HistoryRow[], review = reviewHistory(project, history),
): HistoryUpdate[] {
  const updates: HistoryUpdate[] = [];
  for (const [name, c] of review.comparisons) {
    if (isDrift(c)) continue;
    const change: HistoryUpdate['change'] = {};
    if (c.deploy === 'legacy') change.checksum = project.byName.get(name)!.checksum;
    if (c.requiresChanged) change.requires = project.byName.get(name)!.requires.map((r) => r.name);
    if (change.checksum || change.requires) updates.push({ name, change });
  }
  return updates;
}

/** An empty deploy section runs nothing, so placeholders that share its checksum are never taken for renames. */
let emptyDeploy: ReadonlySet<string> | undefined;
const isEmptyDeploy = (checksum: string) => (emptyDeploy ??= new Set([migrationChecksum(true, ''), migrationChecksum(false, '')])).has(checksum);

/**
 * Applied rows whose file is gone, each paired with the one pending file holding the same deploy
 * section (and no other missing row claiming it): a file renamed after it was applied.
 */
function findRenames(project: MigrationGraph, history: readonly HistoryRow[], rows: ReadonlyMap<string, HistoryRow>): Map<string, string> {
  const missing = history.filter((r) => r.status === 'applied' && !project.byName.has(r.name));
  if (missing.length === 0) return new Map();
  const pending = project.order.filter((m) => !rows.has(m.name) && !isEmptyDeploy(m.checksum));
  const candidates = new Map<string, string[]>();
  const claims = new Map<string, number>();
  for (const row of missing) {
    let found = pending.filter((m) => m.checksum === row.checksum);
    if (found.length === 0) found = pending.filter((m) => compareDeploy(m, row) === 'legacy');
    candidates.set(row.name, found.map((m) => m.name));
    for (const m of found) claims.set(m.name, (claims.get(m.name) ?? 0) + 1);
  }
  const renames = new Map<string, string>();
  for (const [from, found] of candidates) {
    if (found.length === 1 && claims.get(found[0]) === 1) renames.set(from, found[0]);
  }
  return renames;
}
