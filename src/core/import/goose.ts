// goose: `N_name.sql` with `-- +goose Up` / `Down` annotations, versions in numeric order; history `goose_db_version`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { splitAnnotated } from './annotated.js';
import {
  compareNumeric, composeMigration, isTrue, note, numericKey, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration, type SkippedMigration,
} from './compose.js';

const FILE = /^(\d+)_.*\.(sql|go)$/;

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  const skipped: SkippedMigration[] = [];
  const byVersion = new Map<string, ImportFile>();
  for (const file of files) {
    const m = FILE.exec(file.path);
    // goose reads one folder; its own Go tests and helpers are not migrations.
    if (!m || file.path.includes('/') || file.path.endsWith('_test.go')) continue;
    const key = numericKey(m[1]);
    const other = byVersion.get(key);
    if (other) {
      notes.push(note('error', 'import-duplicate-version', file.path, 1, `version ${key} is also ${other.path}`, 'goose refuses this folder too: give each file its own version'));
      continue;
    }
    byVersion.set(key, file);
  }
  const ordered = [...byVersion.entries()].sort(([a], [b]) => compareNumeric(a, b));
  const migrations: ImportedMigration[] = [];
  let previous: string | undefined;
  for (const [key, file] of ordered) {
    if (file.path.endsWith('.go')) {
      skipped.push({ key, path: file.path });
      notes.push(note('warning', 'import-go-migration', file.path, 1, 'a Go migration: sqlmig runs SQL only, so it is not imported',
        'write what it does as SQL in a new migration (its place in the order is between the files around it); if the database already ran it, record that migration with sqlmig up --log-only --to NAME'));
      continue;
    }
    const split = splitAnnotated(file.path, file.text ?? '', 'goose');
    notes.push(...split.notes);
    if (!split.ok) continue;
    const name = safeName(file.path.replace(/\.sql$/, ''));
    migrations.push(composeMigration({
      tool: 'goose', name, key, requires: previous ? [previous] : [], transactional: !split.noTransaction, from: [file.path],
      deploy: split.deploy, revert: split.revert,
    }, dialect));
    previous = name;
  }
  return { migrations, skipped, notes };
}

export const GOOSE: ImportTool = {
  name: 'goose',
  convert,
  history: {
    table: 'goose_db_version',
    columns: ['version_id', 'is_applied'],
    orderBy: 'id',
    // A row per apply and per rollback: the last row of a version says where it stands. Version 0 is goose's own.
    applied(rows) {
      const state = new Map<string, boolean>();
      for (const row of rows) state.set(numericKey(String(row.version_id)), isTrue(row.is_applied));
      return { value: [...state].filter(([key, applied]) => applied && key !== '0').map(([key]) => key), diagnostics: [] };
    },
  },
};
