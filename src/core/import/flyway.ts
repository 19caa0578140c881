// Flyway: `V1__x.sql` versioned files (any folder depth), `U1__x.sql` as their revert, in version order, then `R__x.sql`
// repeatable files in order of description; history `flyway_schema_history`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { compareCodePoints } from '../strings.js';
import {
  composeMigration, linesOf, note, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration, type SkippedMigration,
} from './compose.js';
import { flywayApplied } from './flyway-history.js';
import { compareFlywayVersions, flywayChecksum, flywayDescription, flywayVersion, repeatableKey, versionNames } from './flyway-versions.js';
import { outsideOnlyStatement } from './transactions.js';

const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
const JAVA = /^(?:V(\d+(?:[._]\d+)*)|R)__(.+)\.(java|kt|class)$/;
/**
 * A Java class named like a migration without Flyway's `__` (`V66_3_Backfill.java`): a migration that
 * sets its version itself (Flyway refuses the name otherwise). Its version is read from the name, a guess said as such.
 */
const JAVA_OWN_VERSION = /^V(\d+(?:_\d+)*)_(?!_)(?!\d)\w*\.(java|kt)$/;
/** The folder the repeatable files go to: their names cannot start with `R__` (sqlmig reads that as a Flyway file left as it was). */
const REPEATABLE_FOLDER = 'repeatable';

interface Versioned { version: string[]; description: string; file: ImportFile; undo?: ImportFile; noTransaction: boolean }
/** `stem`: the file name between `R__` and `.sql`. */
interface Repeatable { stem: string; description: string; file: ImportFile; noTransaction: boolean }

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  const skipped: SkippedMigration[] = [];
  const byVersion = new Map<string, Versioned>();
  const byDescription = new Map<string, Repeatable>();
  const undos: { key: string; file: ImportFile }[] = [];
  const configs = new Map(files.filter((f) => f.path.endsWith('.sql.conf')).map((f) => [f.path.slice(0, -'.conf'.length), f.text ?? '']));
  for (const file of [...files].sort((a, b) => compareCodePoints(a.path, b.path))) {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    const java = JAVA.exec(base);
    if (java) {
      const key = java[1] === undefined ? repeatableKey(flywayDescription(java[2])) : flywayVersion(java[1]).join('.');
      const what = java[1] === undefined ? `a repeatable Java migration ("${flywayDescription(java[2])}")` : `a Java migration (version ${key})`;
      skipped.push({ key, path: file.path });
      notes.push(note('warning', 'import-java-migration', file.path, 1, `${what}: sqlmig runs SQL only, so it is not imported`,
        'write what it does as SQL in a new migration; if the database already ran it, record that one with sqlmig up --log-only --to NAME'));
      continue;
    }
    const ownVersion = JAVA_OWN_VERSION.exec(base);
    if (ownVersion) {
      const key = flywayVersion(ownVersion[1]).join('.');
      skipped.push({ key, path: file.path });
      notes.push(note('warning', 'import-java-migration', file.path, 1,
        `a Java migration that sets its own version (${key}, as its name suggests): sqlmig runs SQL only, so it is not imported`,
        'write what it does as SQL in a new migration; if the database already ran it, record that one with sqlmig up --log-only --to NAME'));
      continue;
    }
    const repeatable = REPEATABLE.exec(base);
    if (repeatable) {
      const description = flywayDescription(repeatable[1]);
      const other = byDescription.get(description);
      if (other) {
        notes.push(note('error', 'import-duplicate-description', file.path, 1, `the repeatable migration "${description}" is also ${other.file.path}`,
          'Flyway refuses this too: give each repeatable file its own description'));
        continue;
      }
      byDescription.set(description, { stem: repeatable[1], description, file, noTransaction: runsOutsideTransaction(configs.get(file.path)) });
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
    byVersion.set(key, { version, description: m[3], file, noTransaction: runsOutsideTransaction(configs.get(file.path)) });
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
    notes.push(...placeholders(v.file.path, text));
    if (!v.undo) {
      notes.push(note('warning', 'import-no-down', v.file.path, 1, 'no undo file (U…__): the imported migration has no revert section, so sqlmig down refuses to cross it',
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    const deploy = linesOf(v.file.path, text), revert = v.undo && linesOf(v.undo.path, v.undo.text ?? '');
    const outside = v.noTransaction ? undefined : outsideOnlyStatement([deploy, revert], dialect);
    if (outside) {
      notes.push(note('warning', 'import-outside-transaction', outside.path, outside.line,
        `${outside.statement} cannot run inside a transaction, so Flyway runs this migration without one: the file gets "transaction: off"`,
        'sqlmig then runs it statement by statement; keep such a statement in a file of its own'));
    }
    const name = safeName(`${names[i]}_${v.description}`);
    migrations.push(composeMigration({
      tool: 'flyway', name, key: v.version.join('.'), requires: i === 0 ? [] : [migrations[i - 1].name], transactional: !v.noTransaction && !outside,
      from: v.undo ? [v.file.path, v.undo.path] : [v.file.path], deploy, revert,
    }, dialect));
  }
  migrations.push(...repeatables([...byDescription.values()], migrations[migrations.length - 1]?.name, dialect, notes));
  return { migrations, skipped, notes };
}

/**
 * Flyway runs its repeatable files after every versioned one, in order of description (Java's string
 * order), each again whenever its checksum changes. Imported, each requires the one before it in that
 * order, and the first requires the last versioned migration: a fresh database gets Flyway's order
 * whatever the names, and a repeatable file that reads what an earlier one creates (Flyway users name
 * them `R__1_base`, `R__2_report` for that) still finds it.
 */
function repeatables(files: Repeatable[], lastVersioned: string | undefined, dialect: Dialect, notes: Diagnostic[]): ImportedMigration[] {
  const migrations: ImportedMigration[] = [];
  let previous = lastVersioned;
  for (const r of files.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0))) {
    const text = r.file.text ?? '';
    notes.push(...placeholders(r.file.path, text));
    notes.push(note('warning', 'import-no-down', r.file.path, 1,
      'a repeatable migration (Flyway has no undo for these): the imported file has no revert section, so sqlmig down refuses to revert it or what it requires',
      'write the SQL that drops what it creates after "-- revert:" in the imported file (DROP VIEW …, DROP FUNCTION …)'));
    const deploy = linesOf(r.file.path, text);
    const outside = outsideOnlyStatement([deploy], dialect);
    if (r.noTransaction || outside) {
      notes.push(note('warning', 'import-repeatable-in-transaction', r.file.path, outside?.line ?? 1,
        `Flyway ran it outside a transaction (${outside ? `it holds ${outside.statement}` : 'executeInTransaction=false'}), `
          + 'but sqlmig applies a repeatable file in one transaction with its history row',
        'move a statement no transaction may hold into a versioned file of its own, with "-- transaction: off"'));
    }
    const name = `${REPEATABLE_FOLDER}/${safeName(r.stem)}`;
    migrations.push(composeMigration({
      tool: 'flyway', name, key: repeatableKey(r.description), requires: previous === undefined ? [] : [previous], transactional: true,
      repeatable: true, historyChecksum: String(flywayChecksum(text)), from: [r.file.path], deploy,
    }, dialect));
    previous = name;
  }
  return migrations;
}

function runsOutsideTransaction(config: string | undefined): boolean {
  return /^\s*executeInTransaction\s*=\s*false\s*$/m.test(config ?? '');
}

function placeholders(path: string, text: string): Diagnostic[] {
  const placeholder = linesOf(path, text).lines.find((l) => /\$\{[^}]+\}/.test(l.text));
  return placeholder
    ? [note('warning', 'import-placeholder', path, placeholder.line, 'a Flyway placeholder (${…}): sqlmig sends the SQL as written',
      'replace it by its value in the imported file')]
    : [];
}

export const FLYWAY: ImportTool = {
  name: 'flyway',
  convert,
  history: {
    table: 'flyway_schema_history',
    columns: ['version', 'description', 'type', 'checksum', 'success'],
    orderBy: 'installed_rank',
    applied: flywayApplied,
  },
};
