// `sqlmig verify` (round trip and --isolation) on migrations-example and on 200 generated files, whole process.
// Usage: node bench/verify.mjs [runs]
import { join } from 'node:path';
import { BIN, fmt, generateProject, machine, median, ROOT, timeProcess } from './lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const projects = { 'migrations-example': join(ROOT, 'migrations-example'), '200 generated': generateProject('verify-200', 200) };
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs; node -e 0: ${fmt(median(Array.from({ length: 5 }, () => timeProcess(process.execPath, ['-e', '0']))))}`);
for (const [label, dir] of Object.entries(projects)) {
  for (const extra of [[], ['--isolation']]) {
    const ms = median(Array.from({ length: runs }, () => timeProcess(process.execPath, [BIN, 'verify', '--dir', dir, '--quiet', ...extra])));
    console.log(`verify ${extra.join(' ').padEnd(11)} ${label.padEnd(18)} ${fmt(ms)}`);
  }
}
