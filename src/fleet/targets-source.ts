// Where a run's targets come from: a targets file, or a query on a control database; then the list and the folder, checked together.
import { sortDiagnostics, type Checked, type Diagnostic } from '../core/diagnostic.js';
import type { Dialect } from '../core/dialect.js';
import { nodeFsPromises } from '../builtins.js';
import { openDriver } from '../drivers/index.js';
import { ConnectionError, InputError, UsageError } from '../errors.js';
import { loadProject, type Project } from '../project.js';
import { checkTargets, parseTargetsFile, targetEntriesOfRows, type Target, type TargetEntry } from './targets.js';

/** A targets file, read and parsed: every mistake at its line and column. */
export async function readTargetsFile(path: string): Promise<Checked<TargetEntry[]>> {
  let text: string;
  try {
    text = await nodeFsPromises().readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the targets file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'give --targets the path of a JSON file {"targets": [...]}, relative to the working directory',
    });
  }
  return parseTargetsFile(text, path);
}

/**
 * The rows of `sql` on the control database `url` (its own connection, closed before any target
 * starts). A query the database rejects is an input error, an unreachable database exit 3.
 */
export async function queryTargets(url: string, sql: string, options: { lockWaitMs: number }): Promise<Checked<TargetEntry[]>> {
  const driver = await openDriver(url, options);
  const session = await driver.connect();
  let rows: Record<string, unknown>[];
  try {
    rows = await session.query(sql);
  } catch (error) {
    const failure = driver.failureOf(error);
    if (!failure) throw new ConnectionError(`the targets query on ${driver.display} failed: ${(error as Error).message}`, { cause: error });
    const code = failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : failure.code ? ` (${failure.code})` : '';
    return {
      value: [],
      diagnostics: [{
        severity: 'error', code: 'targets-query', message: `the targets query failed on ${driver.display}: ${failure.message}${code}`,
        hint: failure.hint ?? 'try the query in a SQL client: it returns a row per target, with columns name and db and/or search_path',
      }],
    };
  } finally {
    await session.close();
  }
  if (rows.length === 0) {
    const message = `the targets query returned no rows on ${driver.display}`;
    return { value: [], diagnostics: [{ severity: 'error', code: 'targets-empty', message }] };
  }
  return targetEntriesOfRows(Object.keys(rows[0]), rows);
}

/**
 * The targets and the folder of a run, with every problem of both in one InputError before anything
 * connects to a target. `defaultDb` is the database of the targets that name none.
 */
export async function loadFleetInput(
  entries: Checked<TargetEntry[]>, dir: string, options: { defaultDb?: string; fallbackDialect?: Dialect } = {},
): Promise<{ targets: Target[]; project: Project }> {
  const { defaultDb } = options;
  const checked = checkTargets(entries.value, defaultDb);
  // A source that yielded nothing has said why; "the list is empty" would only repeat it.
  const unread = entries.value.length === 0 && entries.diagnostics.length > 0;
  const diagnostics: Diagnostic[] = [...entries.diagnostics, ...(unread ? [] : checked.diagnostics)];
  // The folder is read in the targets' dialect; when no target says which, in the one the run would otherwise use.
  const dialect = checked.value.dialect ?? options.fallbackDialect;
  let project: Project | undefined;
  if (dialect) {
    try {
      project = await loadProject(dir, dialect);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
  }
  const errors = sortDiagnostics(diagnostics.filter((d) => d.severity === 'error'));
  if (errors.length > 0 || !project) throw new InputError(errors);
  return { targets: checked.value.targets, project };
}
