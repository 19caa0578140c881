// Build step: writes dist/pglite-template.tar.gz, an empty PGlite database (what initdb makes), and
// dist/pglite-template.json naming the PGlite version that made it. New embedded databases load it
// instead of running initdb. Skipped when the files are there for the installed PGlite.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { installedPgliteVersion } from '../dist/embedded-template.js';

const dist = new URL('../dist/', import.meta.url);
const meta = new URL('pglite-template.json', dist);
const tarball = new URL('pglite-template.tar.gz', dist);
const version = installedPgliteVersion();
const current = existsSync(meta) && existsSync(tarball) && JSON.parse(readFileSync(meta, 'utf8')).pglite === version;
if (!current) {
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    await db.waitReady;
    const dump = await db.dumpDataDir('gzip');
    await db.close();
    mkdirSync(dist, { recursive: true });
    writeFileSync(tarball, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(meta, `${JSON.stringify({ pglite: version })}\n`);
  } catch (error) {
    // Not fatal: without the template, new embedded databases run initdb, only slower.
    console.warn(`sqlmig build: no embedded database template (${error.message}); new embedded databases will run initdb`);
  }
}
