// Folder -> migration sources: every `.sql` file below it, read as bytes, in code-point order of path.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
  // Directory order differs between file systems: sort, so the same folder reads the same everywhere.
  const relativePaths = listFiles(dir, '').filter((p) => !isIgnoredPath(p)).sort(compareCodePoints);
  const reader = new FileReader();
  const base = dir.split('\\').join('/').replace(/\/+$/, '');
  return relativePaths.map((relativePath) => {
    // `base` is the folder as given, `/`-separated (which every platform's file API accepts): joining
    // by hand skips path.join's normalisation of each of thousands of paths.
    const path = `${base}/${relativePath}`;
    return { path, relativePath, name: nameFromPath(relativePath), bytes: reader.read(path) };
  });
}

/**
 * Relative paths of the files below `dir`, skipping dot- and underscore-folders without entering them.
 * Symbolic links are followed to files but not to folders (no loops). Plain readdir: measured three
 * times faster than a glob walk on 5,000 files (bench/README.md).
 */
function listFiles(dir: string, prefix: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listFiles(dir, relative));
    else if (entry.name.endsWith('.sql') && (entry.isFile() || entry.isSymbolicLink())) files.push(relative);
  }
  return files;
}

/** Reads whole files through one reusable buffer: open, read, close — no stat per file. */
class FileReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  read(path: string): Uint8Array {
    const fd = openSync(path, 'r');
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger);
          this.buffer = bigger;
        }
        const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        length += n;
        // A short read of a regular file means end of file; a full one may not, so read on.
        if (n === 0 || length < this.buffer.length) break;
      }
      return Uint8Array.prototype.slice.call(this.buffer, 0, length);
    } finally {
      closeSync(fd);
    }
  }
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
