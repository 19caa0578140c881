// Builds the CLI: src/cli/main.ts bundled into one CommonJS file, dist/cli.cjs, then V8's code cache
// for it (dist/cli.cache, see bin/sqlmig.js) from one run of `graph` on migrations-example.
// The bundle's first line names the build, so that a cache is never used with another build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * yargs lays out its help by measuring every word with string-width, which first compiles a regular
 * expression of every emoji: a tenth of `--help`. Printable ASCII is as wide as it is long.
 */
const asciiWidth = {
  name: 'ascii-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.pluginData === 'real' ? undefined
      : { path: args.resolveDir, namespace: 'ascii-width' }));
    b.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      contents: 'const stringWidth = require("string-width");\n'
        + 'module.exports = (s) => (typeof s === "string" && /^[\\x20-\\x7e]*$/.test(s) ? s.length : stringWidth(s));',
      resolveDir: args.path, loader: 'js', pluginData: 'real',
    }));
  },
};

const result = await build({
  entryPoints: [join(ROOT, 'src/cli/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less to read and hash at start-up; names stay, so an internal error's stack still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  write: false,
  logLevel: 'warning',
  // Code under vm.Script has no loader for import(): each import() becomes a require(), bundled or not.
  supported: { 'dynamic-import': false },
  // Loaded from node_modules when a command needs them (drivers, the lint parser; their CommonJS builds).
  // pg is bundled instead: loading its dozens of files from node_modules took a third of what a
  // no-op `up` adds to `graph`. pg-native and pg-cloudflare are optional packages pg never loads here.
  external: ['pg-native', 'pg-cloudflare', 'better-sqlite3', 'mysql2', '@electric-sql/pglite', 'libpg-query', '@pgsql/types'],
  // bin/sqlmig.js passes the bundle's own URL under this name.
  define: { 'import.meta.url': '__sqlmigImportMetaUrl' },
  plugins: [asciiWidth],
});
const code = result.outputFiles[0].text;
if (/\bimport\(/.test(code)) throw new Error('the bundle calls import(), which has no loader under vm.Script');
const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
writeFileSync(join(ROOT, 'dist/cli.cjs'), `// sqlmig build ${id}\n${code}`);

// Caches of the build before, whatever their flags (bin/sqlmig.js would refuse them anyway).
for (const file of readdirSync(join(ROOT, 'dist'))) if (/^cli(\.[0-9a-f]{8})?\.cache$/.test(file)) rmSync(join(ROOT, 'dist', file));
const training = spawnSync(process.execPath, [join(ROOT, 'bin/sqlmig.js'), 'graph', '--no-env-file', '--dir', join(ROOT, 'migrations-example')], {
  // Without NODE_OPTIONS: the build makes the cache of a plain `node` (bin/sqlmig.js keeps one per set of flags).
  cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
});
// Without a cache the CLI still runs (and its first run writes one): say so, but do not fail the build.
if (training.status !== 0) console.warn(`build-cli: the code cache's training run exited ${training.status}; dist/cli.cache not made`);
