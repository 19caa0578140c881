// Temporary folders and migration files for tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';

/** A fresh folder inside the run's temporary root (the global setup removes it when the run ends). */
export function tempDir(prefix = 'sqlmig-'): string {
  return mkdtempSync(join(inject('tmpRoot'), prefix));
}

/** Writes files (relative path -> content) below `dir`; returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
