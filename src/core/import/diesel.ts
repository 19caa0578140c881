// diesel: `<version>_<name>/up.sql` and `down.sql` folders (`metadata.toml` may turn the transaction off); history `__diesel_schema_migrations`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { compareCodePoints } from '../strings.js';
import { composeMigration, linesOf, note, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration } from './compose.js';

const FOLDER = /^(\d[\d-]*)_([^/]+)$/;

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  const folders = new Map<string, Map<string, ImportFile>>();
  for (const file of files) {
    const [folder, base, ...deeper] = file.path.split('/');
    if (base === undefined || deeper.length > 0 || !FOLDER.test(folder)) continue;
    if (!folders.has(folder)) folders.set(folder, new Map());
    folders.get(folder)!.set(base, file);
  }
  // diesel's version is the folder's leading digits without dashes; versions of one length sort as numbers.
  const versionOf = (folder: string) => FOLDER.exec(folder)![1].replace(/-/g, '');
  const ordered = [...folders.keys()].sort((a, b) => compareCodePoints(versionOf(a), versionOf(b)) || compareCodePoints(a, b));
  const migrations: ImportedMigration[] = [];
  const seen = new Map<string, string>();
  for (const folder of ordered) {
    const key = versionOf(folder);
    const parts = folders.get(folder)!;
    const up = parts.get('up.sql');
    if (!up) {
      if (parts.has('down.sql')) notes.push(note('error', 'import-down-without-up', parts.get('down.sql')!.path, 1, 'a down.sql without its up.sql', 'add up.sql, or delete the folder'));
      continue;
    }
    if (seen.has(key)) {
      notes.push(note('error', 'import-duplicate-version', up.path, 1, `version ${key} is also ${seen.get(key)}`, 'diesel refuses this folder too: give each migration its own version'));
      continue;
    }
    seen.set(key, folder);
    const down = parts.get('down.sql');
    if (!down) {
      notes.push(note('warning', 'import-no-down', up.path, 1, 'no down.sql: the imported migration has no revert section, so sqlmig down refuses to cross it',
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    const metadata = parts.get('metadata.toml')?.text ?? '';
    const noTransaction = /^\s*run_in_transaction\s*=\s*false\s*(#.*)?$/m.test(metadata);
    const name = safeName(folder);
    migrations.push(composeMigration({
      tool: 'diesel', name, key, requires: migrations.length > 0 ? [migrations[migrations.length - 1].name] : [], transactional: !noTransaction,
      from: down ? [up.path, down.path] : [up.path], deploy: linesOf(up.path, up.text ?? ''), revert: down && linesOf(down.path, down.text ?? ''),
    }, dialect));
  }
  return { migrations, skipped: [], notes };
}

export const DIESEL: ImportTool = {
  name: 'diesel',
  convert,
  history: {
    table: '__diesel_schema_migrations',
    columns: ['version'],
    applied: (rows) => ({ value: rows.map((r) => String(r.version)), diagnostics: [] }),
  },
};
