// The zero-setup path: the first `sqlmig up` of migrations-example on the embedded default (creates the
// PGlite database) and a later one (opens it); what a new embedded database costs by itself (from the
// build's template, or by initdb); a `status` that only opens the existing one. Whole processes: wall
// time and peak memory.
// Usage: node bench/embedded.mjs [runs]
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, machine, median, ROOT, timeAndMemory, timeProcess, WORK } from './lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const cwd = join(WORK, 'embedded');
const TEMPLATE = join(ROOT, 'dist/pglite-template.tar.gz');
// A bare node process that starts one PGlite database and closes it: nothing of sqlmig but the template.
const newDatabase = (template) => [
  '--input-type=module', '-e',
  `import { readFileSync } from 'node:fs'; import { PGlite } from '@electric-sql/pglite';
   const db = new PGlite(${template ? `{ loadDataDir: new Blob([readFileSync(${JSON.stringify(TEMPLATE)})]) }` : ''});
   await db.query('SELECT 1'); await db.close();`,
];
const first = [], later = [], status = [], fresh = [], fromTemplate = [], initdb = [], node = [];
for (let r = 0; r < runs; r++) {
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(join(cwd, 'empty'), { recursive: true });
  cpSync(join(ROOT, 'migrations-example'), join(cwd, 'migrations-example'), { recursive: true });
  first.push(timeAndMemory(process.execPath, [BIN, 'up', '--dir', 'migrations-example', '--quiet'], { cwd }));
  later.push(timeAndMemory(process.execPath, [BIN, 'up', '--dir', 'migrations-example', '--quiet'], { cwd }));
  status.push(timeAndMemory(process.execPath, [BIN, 'status', '--dir', 'migrations-example', '--quiet'], { cwd }));
  fresh.push(timeAndMemory(process.execPath, [BIN, 'status', '--dir', 'empty', '--db', 'pglite:memory', '--quiet'], { cwd }));
  fromTemplate.push(timeAndMemory(process.execPath, newDatabase(true), { cwd: ROOT }));
  initdb.push(timeAndMemory(process.execPath, newDatabase(false), { cwd: ROOT }));
  node.push(timeProcess(process.execPath, ['-e', '0']));
}
const show = (label, xs) => console.log(`${label} ${fmt(median(xs.map((x) => x.ms))).padStart(8)}   peak ${median(xs.map((x) => x.mb)).toFixed(0)} MB`);
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs; node -e 0: ${fmt(median(node))}`);
show('first up (creates .sqlmig/pglite)         ', first);
show('later up (nothing to do)                  ', later);
show('status (opens .sqlmig/pglite)             ', status);
show('status, empty folder, new pglite:memory   ', fresh);
show('node: new PGlite from the build\'s template', fromTemplate);
show('node: new PGlite by initdb (no template)  ', initdb);
