// Flyway: `V1__x.sql` versioned files (any folder depth), `U1__x.sql` as their revert, in version order; history `flyway_schema_history`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { compareCodePoints } from '../strings.js';
import {
  composeMigration, isTrue, linesOf, note, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration, type SkippedMigration,
} from './compose.js';

const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__.+\.sql$/;
const JAVA = /^V(\d+(?:[._]\d+)*)__.+\.(java|kt|class)$/;

/** `1.10.0`, `1_10` -> [1, 10]: Flyway compares versions part by part as numbers, trailing zeros ignored. */
export function flywayVersion(text: string): string[] {
  const parts = text.split(/[._]/).map((p) => p.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts;
}

export function compareFlywayVersions(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '0', y = b[i] ?? '0';
    const c = x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
    if (c !== 0) return c;
  }
  return 0;
}

interface Versioned { version: string[]; description: string; file: ImportFile; undo?: ImportFile; noTransaction: boolean }

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  const skipped: SkippedMigration[] = [];
  const byVersion = new Map<string, Versioned>();
  const undos: { key: string; file: ImportFile }[] = [];
  const configs = new Map(files.filter((f) => f.path.endsWith('.sql.conf')).map((f) => [f.path.slice(0, -'.conf'.length), f.text ?? '']));
  for (const file of [...files].sort((a, b) => compareCodePoints(a.path, b.path))) {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    const java = JAVA.exec(base);
    if (java) {
      const key = flywayVersion(java[1]).join('.');
      skipped.push({ key, path: file.path });
      notes.push(note('warning', 'import-java-migration', file.path, 1, `a Java migration (version ${key}): sqlmig runs SQL only, so it is not imported`,
        'write what it does as SQL in a new migration; if the database already ran it, record that one with sqlmig up --log-only --to NAME'));
      continue;
    }
    if (REPEATABLE.test(base)) {
      notes.push(note('warning', 'import-repeatable', file.path, 1, 'a Flyway repeatable migration: not supported yet, so it is not imported',
        'copy its SQL into a new migration, with a revert section, and write each later change as another new migration'));
      continue;
    }
    const m = VERSIONED.exec(base);
    if (!m) continue;
    const version = flywayVersion(m[2]);
    const key = version.join('.');
    if (m[1] === 'U') { undos.push({ key, file }); continue; }
    const other = byVersion.get(key);
    if (other) {
      notes.push(note('error', 'import-duplicate-version', file.path, 1, `version ${key} is also ${other.file.path}`, 'Flyway refuses this too: give each file its own version'));
      continue;
    }
    const config = configs.get(file.path) ?? '';
    byVersion.set(key, { version, description: m[3], file, noTransaction: /^\s*executeInTransaction\s*=\s*false\s*$/m.test(config) });
  }
  for (const { key, file } of undos) {
    const target = byVersion.get(key);
    if (target) target.undo = file;
    else notes.push(note('warning', 'import-undo-without-version', file.path, 1, `an undo file without the versioned file of version ${key}: not imported`));
  }
  const ordered = [...byVersion.values()].sort((a, b) => compareFlywayVersions(a.version, b.version));
  const names = versionNames(ordered.map((v) => v.version));
  const migrations: ImportedMigration[] = [];
  for (const [i, v] of ordered.entries()) {
    const text = v.file.text ?? '';
    const placeholder = linesOf(v.file.path, text).lines.find((l) => /\$\{[^}]+\}/.test(l.text));
    if (placeholder) {
      notes.push(note('warning', 'import-placeholder', v.file.path, placeholder.line, 'a Flyway placeholder (${…}): sqlmig sends the SQL as written',
        'replace it by its value in the imported file'));
    }
    if (!v.undo) {
      notes.push(note('warning', 'import-no-down', v.file.path, 1, 'no undo file (U…__): the imported migration has no revert section, so sqlmig down refuses to cross it',
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    const name = safeName(`${names[i]}_${v.description}`);
    migrations.push(composeMigration({
      tool: 'flyway', name, key: v.version.join('.'), requires: i === 0 ? [] : [migrations[i - 1].name], transactional: !v.noTransaction,
      from: v.undo ? [v.file.path, v.undo.path] : [v.file.path],
      deploy: linesOf(v.file.path, text), revert: v.undo && linesOf(v.undo.path, v.undo.text ?? ''),
    }, dialect));
  }
  return { migrations, skipped, notes };
}

/**
 * Names that sort as Flyway orders versions: each part zero-padded to the widest of its position, every
 * version given as many parts as the longest (`V1__`, `V1.1__`, `V10__` -> `01.0`, `01.1`, `10.0`).
 */
function versionNames(versions: readonly string[][]): string[] {
  const parts = Math.max(1, ...versions.map((v) => v.length));
  const widths = Array.from({ length: parts }, (_, i) => Math.max(1, ...versions.map((v) => (v[i] ?? '0').length)));
  return versions.map((v) => widths.map((w, i) => (v[i] ?? '0').padStart(w, '0')).join('.'));
}

export const FLYWAY: ImportTool = {
  name: 'flyway',
  convert,
  history: {
    table: 'flyway_schema_history',
    columns: ['version', 'type', 'success'],
    orderBy: 'installed_rank',
    /**
     * A row per event, in installed_rank order; a version's last row says where it stands (an undo or a
     * delete takes it back). A baseline row stands for every version up to its own. A failed row stops
     * Flyway until `flyway repair`, and stops the import too.
     */
    applied(rows, conversion, table) {
      const diagnostics: Diagnostic[] = [];
      const state = new Map<string, boolean>();
      let baseline: string[] | undefined;
      for (const row of rows) {
        if (row.version === null || row.version === undefined) continue;
        const version = flywayVersion(String(row.version));
        const key = version.join('.');
        const type = String(row.type);
        if (!isTrue(row.success)) {
          diagnostics.push({
            severity: 'error', code: 'import-failed-migration', message: `${table} holds a failed migration, version ${key}`,
            hint: 'repair the database and run "flyway repair" (Flyway refuses to migrate past it too), then import again',
          });
          continue;
        }
        if (type.includes('BASELINE')) baseline = version;
        else state.set(key, !type.startsWith('UNDO') && type !== 'DELETE');
      }
      const value = conversion.migrations
        .filter((m) => state.get(m.key) ?? (baseline !== undefined && compareFlywayVersions(flywayVersion(m.key), baseline) <= 0))
        .map((m) => m.key);
      for (const [key, applied] of state) if (applied && !value.includes(key)) value.push(key);
      return { value, diagnostics };
    },
  },
};
