// dbmate: `VERSION_name.sql` with `-- migrate:up` and `-- migrate:down` blocks, in file-name order; history `schema_migrations (version)`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { compareCodePoints } from '../strings.js';
import { composeMigration, linesOf, note, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration, type SourceLines } from './compose.js';

const FILE = /^(\d+).*\.sql$/;
/** dbmate's own patterns: the marker at the start of a line, options after whitespace. */
const UP = /^--\s*migrate:up(\s*$|\s+\S+)/;
const DOWN = /^--\s*migrate:down(\s*$|\s+\S+)/;
const NO_TRANSACTION = /(^|\s)transaction:false(\s|$)/;

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const notes: Diagnostic[] = [];
  // dbmate reads one folder and sorts it by file name (timestamps of one length sort as numbers).
  const sources = files.filter((f) => !f.path.includes('/') && FILE.test(f.path)).sort((a, b) => compareCodePoints(a.path, b.path));
  const seen = new Map<string, string>();
  const migrations: ImportedMigration[] = [];
  let previous: string | undefined;
  for (const file of sources) {
    const key = FILE.exec(file.path)![1];
    if (seen.has(key)) {
      notes.push(note('error', 'import-duplicate-version', file.path, 1, `version ${key} is also ${seen.get(key)}`,
        'dbmate records versions, not names: give each file its own version'));
      continue;
    }
    seen.set(key, file.path);
    const all = linesOf(file.path, file.text ?? '');
    const up = all.lines.findIndex((l) => UP.test(l.text));
    const down = all.lines.findIndex((l) => DOWN.test(l.text));
    if (up === -1) {
      notes.push(note('error', 'import-no-up', file.path, 1, 'no "-- migrate:up" line: dbmate would refuse this file',
        'put "-- migrate:up" above the deploy SQL'));
      continue;
    }
    if (down !== -1 && down < up) {
      notes.push(note('error', 'import-down-before-up', file.path, all.lines[down].line, '"-- migrate:down" comes before "-- migrate:up"',
        'dbmate refuses this order too: move the down block after the up block'));
      continue;
    }
    const before = all.lines.slice(0, up).find((l) => l.text.trim() !== '' && !l.text.trim().startsWith('--'));
    if (before) {
      notes.push(note('error', 'import-sql-before-up', file.path, before.line, 'SQL before "-- migrate:up": dbmate would refuse this file',
        'move it below "-- migrate:up"'));
      continue;
    }
    const upLine = all.lines[up].text;
    const downLine = down === -1 ? '' : all.lines[down].text;
    const deploy: SourceLines = { path: file.path, lines: [...all.lines.slice(0, up), ...all.lines.slice(up + 1, down === -1 ? undefined : down)] };
    const revert = down === -1 ? undefined : { path: file.path, lines: all.lines.slice(down + 1) };
    if (down === -1) {
      notes.push(note('warning', 'import-no-down', file.path, 1, 'no "-- migrate:down" block: the imported migration has no revert section, so sqlmig down refuses to cross it',
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    const upOff = NO_TRANSACTION.test(upLine);
    const downOff = NO_TRANSACTION.test(downLine);
    if (upOff !== downOff) {
      notes.push(note('warning', 'import-transaction-split', file.path, all.lines[downOff ? down : up].line,
        `dbmate ran only the ${downOff ? 'down' : 'up'} block outside a transaction; "transaction: off" covers the whole file`,
        'sqlmig runs both the deploy and the revert of a "transaction: off" file statement by statement'));
    }
    const name = safeName(file.path.replace(/\.sql$/, ''));
    migrations.push(composeMigration({
      tool: 'dbmate', name, key, requires: previous ? [previous] : [], transactional: !upOff && !downOff, from: [file.path], deploy, revert,
    }, dialect));
    previous = name;
  }
  return { migrations, skipped: [], notes };
}

export const DBMATE: ImportTool = {
  name: 'dbmate',
  convert,
  history: {
    table: 'schema_migrations',
    columns: ['version'],
    applied: (rows) => ({ value: rows.map((r) => String(r.version)), diagnostics: [] }),
  },
};
