// Flyway's history, flyway_schema_history: which of the converted migrations it applied.
import type { Checked, Diagnostic } from '../diagnostic.js';
import { isTrue, type Conversion } from './compose.js';
import { compareFlywayVersions, flywayVersion, repeatableKey } from './flyway-versions.js';

/**
 * A row per event, in installed_rank order; a version's last row says where it stands (an undo or a
 * delete takes it back). A baseline row stands for every version up to its own. A failed row stops
 * Flyway until `flyway repair`, and stops the import too. A repeatable migration (no version) gets a
 * row each time it runs: it counts as applied when its last row holds the checksum of the file as it
 * is now; otherwise Flyway would run it again, and so does sqlmig (it is left pending).
 */
export function flywayApplied(rows: readonly Record<string, unknown>[], conversion: Conversion, table: string): Checked<string[]> {
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, boolean>();
  const repeatableRuns = new Map<string, { checksum: string; applied: boolean }>();
  let baseline: string[] | undefined;
  for (const row of rows) {
    const type = String(row.type);
    const repeatable = row.version === null || row.version === undefined;
    if (!isTrue(row.success)) {
      diagnostics.push({
        severity: 'error', code: 'import-failed-migration',
        message: `${table} holds a failed migration, ${repeatable ? `the repeatable "${String(row.description)}"` : `version ${flywayVersion(String(row.version)).join('.')}`}`,
        hint: 'repair the database and run "flyway repair" (Flyway refuses to migrate past it too), then import again',
      });
      continue;
    }
    if (repeatable) {
      repeatableRuns.set(repeatableKey(String(row.description)), { checksum: String(row.checksum), applied: type !== 'DELETE' });
      continue;
    }
    const version = flywayVersion(String(row.version));
    // The row Flyway writes when it created the schemas it manages: not a migration.
    if (type === 'SCHEMA') continue;
    if (type.includes('BASELINE')) baseline = version;
    else state.set(version.join('.'), !type.startsWith('UNDO') && type !== 'DELETE');
  }
  const value = conversion.migrations
    .filter((m) => !m.repeatable && (state.get(m.key) ?? (baseline !== undefined && compareFlywayVersions(flywayVersion(m.key), baseline) <= 0)))
    .map((m) => m.key);
  for (const [key, applied] of state) if (applied && !value.includes(key)) value.push(key);
  for (const [key, run] of repeatableRuns) {
    if (!run.applied) continue;
    const m = conversion.migrations.find((x) => x.key === key);
    if (!m || run.checksum === m.historyChecksum) value.push(key);
    else {
      diagnostics.push({
        severity: 'warning', code: 'import-repeatable-changed', position: { path: m.from[0], line: 1, column: 1 },
        message: `changed since Flyway last ran it (${table} holds checksum ${run.checksum}, the file has ${m.historyChecksum}): not recorded as applied`,
        hint: `sqlmig up applies ${m.name} again, as flyway migrate would`,
      });
    }
  }
  return { value, diagnostics };
}
