// The extensions PGlite ships as modules (`@electric-sql/pglite/contrib/*`): which exist, and loading them.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Extension } from '@electric-sql/pglite';

/** Built into PGlite's server: CREATE EXTENSION finds them without a module. */
const BUILT_IN = new Set(['plpgsql']);

/** Undefined until read; null when the folder could not be listed (then every name is tried). */
let shipped: Set<string> | null | undefined;

/** Module names of the installed PGlite's contrib extensions, read once from its folder. */
function shippedModules(): Set<string> | null {
  if (shipped !== undefined) return shipped;
  try {
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    shipped = new Set(readdirSync(join(dist, 'contrib')).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)));
  } catch {
    // A PGlite laid out differently: every name is tried, and CREATE EXTENSION reports what is missing.
    shipped = null;
  }
  return shipped;
}

/** `uuid-ossp` is the module `uuid_ossp`. */
function moduleOf(name: string): string {
  return name.replace(/-/g, '_');
}

export function pgliteHasExtension(name: string): boolean {
  const modules = shippedModules();
  return BUILT_IN.has(name) || modules === null || modules.has(moduleOf(name));
}

/** The `extensions` option of the PGlite constructor for these names (built-in and unknown ones left out). */
export async function loadPgliteExtensions(names: readonly string[]): Promise<Record<string, Extension>> {
  const loaded: Record<string, Extension> = {};
  for (const name of new Set(names)) {
    if (BUILT_IN.has(name) || !pgliteHasExtension(name)) continue;
    const module = moduleOf(name);
    try {
      const exports = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, Extension>;
      if (exports[module]) loaded[module] = exports[module];
    } catch {
      // Not shipped after all: CREATE EXTENSION says so, at its line.
    }
  }
  return loaded;
}
