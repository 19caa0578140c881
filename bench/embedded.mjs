// The zero-setup path: the first `sqlmig up` of migrations-example on the embedded default (creates the
// PGlite database) and a later one (opens it), whole process: wall time and peak memory.
// Usage: node bench/embedded.mjs [runs]
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, machine, median, ROOT, timeAndMemory, timeProcess, WORK } from './lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const cwd = join(WORK, 'embedded');
const first = [], later = [], node = [];
for (let r = 0; r < runs; r++) {
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  cpSync(join(ROOT, 'migrations-example'), join(cwd, 'migrations-example'), { recursive: true });
  first.push(timeAndMemory(process.execPath, [BIN, 'up', '--dir', 'migrations-example', '--quiet'], { cwd }));
  later.push(timeAndMemory(process.execPath, [BIN, 'up', '--dir', 'migrations-example', '--quiet'], { cwd }));
  node.push(timeProcess(process.execPath, ['-e', '0']));
}
const show = (label, xs) => console.log(`${label} ${fmt(median(xs.map((x) => x.ms))).padStart(8)}   peak ${median(xs.map((x) => x.mb)).toFixed(0)} MB`);
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs; node -e 0: ${fmt(median(node))}`);
show('first up (creates .sqlmig/pglite)', first);
show('later up (nothing to do)         ', later);
