// The empty embedded database made at build time (scripts/pglite-template.mjs): a new PGlite database
// loads it in about a second instead of running initdb for three, with half the memory.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Beside this module once built: dist/pglite-template.tar.gz and the PGlite version that made it. */
const HERE = new URL('.', import.meta.url);

/**
 * The template as PGlite's `loadDataDir` takes it, when one was built by the PGlite installed now
 * (another version's files might not match its WASM build); undefined otherwise, and PGlite runs initdb.
 */
export function embeddedTemplate(dir: URL = HERE): Blob | undefined {
  try {
    const made = JSON.parse(readFileSync(new URL('pglite-template.json', dir), 'utf8')) as { pglite?: string };
    if (made.pglite === undefined || made.pglite !== installedPgliteVersion()) return undefined;
    return new Blob([readFileSync(new URL('pglite-template.tar.gz', dir))]);
  } catch {
    return undefined;
  }
}

/** PGlite does not export its package.json: find it above the module it resolves to. */
export function installedPgliteVersion(): string | undefined {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
