// `sqlmig graph` on 1,000 / 5,000 / 10,000 generated files, whole process, next to `node -e 0` and to
// the I/O floor (a node process that only lists and reads the same files).
// Usage: node bench/graph.mjs [runs]   (SQLMIG_BIN=path/to/bin/sqlmig.js times another build beside this one)
import { join } from 'node:path';
import { BIN, fmt, generateProject, machine, medians, ratio, ROOT, timeProcess } from './lib.mjs';

const runs = Number(process.argv[2] ?? 11);
const sizes = [1000, 5000, 10000];
const dirs = sizes.map((n) => generateProject(`graph-${n}`, n));
const readFloor = join(ROOT, 'bench/read-floor.mjs');
const other = process.env.SQLMIG_BIN;
const commands = [
  () => timeProcess(process.execPath, ['-e', '0']),
  ...dirs.map((dir) => () => timeProcess(process.execPath, [BIN, 'graph', '--dir', dir])),
  ...dirs.map((dir) => () => timeProcess(process.execPath, [readFloor, dir])),
  ...(other ? dirs.map((dir) => () => timeProcess(process.execPath, [other, 'graph', '--dir', dir])) : []),
];
// One warm-up round so that the file cache holds every file.
commands.forEach((c) => c());
const [floor, ...rest] = medians(commands, runs);
const graphs = rest.slice(0, sizes.length);
const reads = rest.slice(sizes.length, 2 * sizes.length);
const others = rest.slice(2 * sizes.length);

console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs, interleaved`);
console.log(`node -e 0          ${fmt(floor)}`);
sizes.forEach((n, i) => console.log(`graph ${String(n).padStart(6)} files ${fmt(graphs[i]).padStart(7)}  ${ratio(graphs[i], floor)} node -e 0`
  + `   (list + read only: ${fmt(reads[i])}, ${ratio(reads[i], floor)}; graph / list + read ${ratio(graphs[i], reads[i])})`
  + (other ? `   other build: ${fmt(others[i])}` : '')));
console.log(`10,000 / 5,000     ${ratio(graphs[2], graphs[1])}`);
