// Start-up: `sqlmig --help`, `--version` and `graph` of an empty folder, whole process, next to
// `node -e 0`; interleaved, medians. SQLMIG_BIN=path/to/bin/sqlmig.js times another build beside this one.
// Usage: node bench/startup.mjs [runs]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, machine, medians, ratio, timeProcess, WORK } from './lib.mjs';

const runs = Number(process.argv[2] ?? 21);
const empty = join(WORK, 'empty');
mkdirSync(empty, { recursive: true });
const builds = [['this', BIN], ...(process.env.SQLMIG_BIN ? [['other', process.env.SQLMIG_BIN]] : [])];
const runsOf = [['--help'], ['--version'], ['graph', '--dir', empty]];
const labels = ['node -e 0'];
const commands = [() => timeProcess(process.execPath, ['-e', '0'])];
for (const [name, bin] of builds) {
  for (const args of runsOf) {
    labels.push(`${name}: sqlmig ${args.join(' ').replace(empty, 'EMPTY')}`);
    commands.push(() => timeProcess(process.execPath, [bin, ...args]));
  }
}
commands.forEach((c) => c());
const times = medians(commands, runs);
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs, interleaved`);
labels.forEach((label, i) => console.log(`${label.padEnd(34)} ${fmt(times[i]).padStart(7)}${i ? `  ${ratio(times[i], times[0])} node -e 0` : ''}`));
