// golang-migrate: `N_title.up.sql` and `N_title.down.sql` in one folder, versions in numeric order; history `schema_migrations (version, dirty)`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import {
  compareNumeric, composeMigration, isTrue, linesOf, note, numericKey, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration,
} from './compose.js';
import { unwrapScripts } from './transactions.js';

const FILE = /^(\d+)_(.*)\.(up|down)\.sql$/;

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  const versions = new Map<string, { digits: string; up?: ImportFile; down?: ImportFile }>();
  for (const file of files) {
    // golang-migrate reads one folder, not the folders below it.
    if (file.path.includes('/') || !file.path.endsWith('.sql')) continue;
    const m = FILE.exec(file.path);
    if (!m) {
      notes.push(note('warning', 'import-ignored', file.path, 1, 'not a golang-migrate file name (N_title.up.sql or N_title.down.sql): not imported'));
      continue;
    }
    const key = numericKey(m[1]);
    const entry = versions.get(key) ?? { digits: m[1] };
    const direction = m[3] as 'up' | 'down';
    if (entry[direction]) {
      notes.push(note('error', 'import-duplicate-version', file.path, 1, `a second ${direction} file for version ${key} (${entry[direction]!.path})`,
        'golang-migrate refuses this folder too: keep one file per version and direction'));
      continue;
    }
    entry[direction] = file;
    versions.set(key, entry);
  }
  const ordered = [...versions.entries()].sort(([a], [b]) => compareNumeric(a, b));
  const migrations: ImportedMigration[] = [];
  let previous: string | undefined;
  for (const [key, { up, down }] of ordered) {
    if (!up) {
      notes.push(note('error', 'import-down-without-up', down!.path, 1, `a down file without its up file (version ${key})`,
        'add the up file, or delete the down file'));
      continue;
    }
    if (!down) {
      notes.push(note('warning', 'import-no-down', up.path, 1, 'no down file: the imported migration has no revert section, so sqlmig down refuses to cross it',
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    // golang-migrate sends a file as it is: a script may hold its own BEGIN … COMMIT.
    const unwrapped = unwrapScripts({ deploy: linesOf(up.path, up.text ?? ''), revert: down && linesOf(down.path, down.text ?? '') }, dialect);
    notes.push(...unwrapped.notes);
    const name = safeName(up.path.replace(/\.up\.sql$/, ''));
    migrations.push(composeMigration({
      tool: 'golang-migrate', name, key, requires: previous ? [previous] : [], transactional: unwrapped.transactional,
      from: down ? [up.path, down.path] : [up.path], deploy: unwrapped.scripts.deploy, revert: unwrapped.scripts.revert,
    }, dialect));
    previous = name;
  }
  return { migrations, skipped: [], notes };
}

export const GOLANG_MIGRATE: ImportTool = {
  name: 'golang-migrate',
  convert,
  history: {
    table: 'schema_migrations',
    columns: ['version', 'dirty'],
    // One row: the version the database is at. Every version up to it is applied; a dirty one failed midway.
    applied(rows, conversion, table) {
      const diagnostics: Diagnostic[] = [];
      if (rows.length === 0) return { value: [], diagnostics };
      const version = numericKey(String(rows[0].version));
      if (version.startsWith('-')) return { value: [], diagnostics };
      if (isTrue(rows[0].dirty)) {
        diagnostics.push({
          severity: 'error', code: 'import-dirty', message: `${table} says version ${version} is dirty: golang-migrate failed midway through it`,
          hint: `repair the database by hand, run "migrate force ${version}" (or the version before it) with golang-migrate, then import again`,
        });
      }
      const value = conversion.migrations.filter((m) => compareNumeric(m.key, version) <= 0).map((m) => m.key);
      if (!conversion.migrations.some((m) => m.key === version)) value.push(version);
      return { value, diagnostics };
    },
  },
};
