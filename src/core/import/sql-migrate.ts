// sql-migrate: `*.sql` with `-- +migrate Up` / `Down`, numbered files in numeric order, then the rest by name; history `gorp_migrations (id)`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { compareCodePoints } from '../strings.js';
import { splitAnnotated } from './annotated.js';
import { compareNumeric, composeMigration, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration } from './compose.js';

const NUMBER = /^(\d+)/;

/** sql-migrate's order: files with a number prefix by that number, before files without one; ties by file name. */
function compareIds(a: string, b: string): number {
  const x = NUMBER.exec(a)?.[1], y = NUMBER.exec(b)?.[1];
  if (x !== undefined && y !== undefined && compareNumeric(x, y) !== 0) return compareNumeric(x, y);
  if (x !== undefined && y === undefined) return -1;
  if (x === undefined && y !== undefined) return 1;
  return compareCodePoints(a, b);
}

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  // sql-migrate reads one folder; the id it records is the file name.
  const sources = files.filter((f) => !f.path.includes('/') && f.path.endsWith('.sql')).sort((a, b) => compareIds(a.path, b.path));
  const migrations: ImportedMigration[] = [];
  let previous: string | undefined;
  for (const file of sources) {
    const split = splitAnnotated(file.path, file.text ?? '', 'migrate');
    notes.push(...split.notes);
    if (!split.ok) continue;
    const name = safeName(file.path.replace(/\.sql$/, ''));
    migrations.push(composeMigration({
      tool: 'sql-migrate', name, key: file.path, requires: previous ? [previous] : [], transactional: !split.noTransaction,
      from: [file.path], deploy: split.deploy, revert: split.revert,
    }, dialect));
    previous = name;
  }
  return { migrations, skipped: [], notes };
}

export const SQL_MIGRATE: ImportTool = {
  name: 'sql-migrate',
  convert,
  history: {
    table: 'gorp_migrations',
    columns: ['id'],
    applied: (rows) => ({ value: rows.map((r) => String(r.id)), diagnostics: [] }),
  },
};
