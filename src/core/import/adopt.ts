// Which imported migrations the other tool's history shows as applied: the ones sqlmig records, or why it cannot.
import type { Checked, Diagnostic } from '../diagnostic.js';
import type { Conversion } from './compose.js';

/**
 * The names to record as applied, in order. Every key the history shows must be an imported
 * migration (or one the import skipped, such as a Go migration), and the applied ones must come
 * first: each imported file requires the one before it, so a pending file before an applied one is a
 * `requires` the history contradicts (unless it is a repeatable file, which is simply run again).
 */
export function adoptedNames(conversion: Conversion, appliedKeys: readonly string[], tool: string, table: string): Checked<string[]> {
  const diagnostics: Diagnostic[] = [];
  const applied = new Set(appliedKeys);
  const known = new Set([...conversion.migrations.map((m) => m.key), ...conversion.skipped.map((s) => s.key)]);
  for (const key of applied) {
    if (known.has(key)) continue;
    diagnostics.push({
      severity: 'error', code: 'import-unknown-applied', message: `${table} shows ${describeKey(key)} as applied, but the ${tool} folder holds no such migration`,
      hint: 'import from the folder this database was migrated from (the same release of it)',
    });
  }
  const value: string[] = [];
  let pending: string | undefined;
  for (const m of conversion.migrations) {
    if (!applied.has(m.key)) { pending ??= m.name; continue; }
    // A repeatable file after a pending one is left pending: sqlmig up applies it again after what it requires, as it should.
    if (pending !== undefined && m.repeatable) continue;
    if (pending !== undefined) {
      diagnostics.push({
        severity: 'error', code: 'import-out-of-order', message: `${table} shows ${m.name} as applied, but ${pending}, before it, is not`,
        hint: `sqlmig keeps ${tool}'s order, so ${m.name} requires ${pending}: apply ${pending} with ${tool} first (or remove it from the folder if it is obsolete), then import again`,
      });
      break;
    }
    value.push(m.name);
  }
  return { value, diagnostics };
}

/** `20240131120000`, `users#2` (sqitch: the second deploy of a reworked change). */
function describeKey(key: string): string {
  const rework = /^(.*)#(\d+)$/.exec(key);
  if (!rework) return `"${key}"`;
  return rework[2] === '1' ? `"${rework[1]}"` : `"${rework[1]}" (deploy ${rework[2]} of a reworked change)`;
}
