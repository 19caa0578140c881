// Folder -> migration sources: every `.sql` file below it, read as bytes, in code-point order of path.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'glob';
import type { Diagnostic } from './core/diagnostic.js';
import { isIgnoredPath, nameFromPath } from './core/name.js';
import { compareCodePoints } from './core/strings.js';
import { InputError } from './errors.js';

export interface SourceFile {
  /** Path shown to the user: the folder as given joined with the relative path. */
  path: string;
  /** Path relative to the folder, `/`-separated. */
  relativePath: string;
  name: string;
  bytes: Uint8Array;
}

/** Reads the folder; a missing folder is an input error (exit 2), an empty one gives no sources. */
export async function scanFolder(dir: string): Promise<SourceFile[]> {
  assertFolder(dir);
  // glob returns paths in no particular order: sort, so the same folder reads the same everywhere.
  const found = await glob('**/*.sql', { cwd: dir, posix: true, dot: false, nodir: true, follow: false });
  const relativePaths = found.filter((p) => !isIgnoredPath(p)).sort(compareCodePoints);
  return relativePaths.map((relativePath) => ({
    path: join(dir, relativePath).split('\\').join('/'),
    relativePath,
    name: nameFromPath(relativePath),
    bytes: readFileSync(join(dir, relativePath)),
  }));
}

function assertFolder(dir: string): void {
  let problem: Diagnostic | undefined;
  try {
    if (!statSync(dir).isDirectory()) {
      problem = { severity: 'error', code: 'not-a-folder', message: `${dir} is not a folder`, hint: 'point --dir at the migrations folder' };
    }
  } catch {
    problem = {
      severity: 'error', code: 'missing-folder', message: `migrations folder ${dir} does not exist`,
      hint: 'create it (sqlmig new NAME does), or point --dir or SQLMIG_DIR at the migrations folder',
    };
  }
  if (problem) throw new InputError([problem], problem.message);
}
