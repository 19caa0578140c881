// `sqlmig lint` on 1,000 generated files, whole process, next to `node -e 0`.
// Usage: node bench/lint.mjs [runs]
import { spawnSync } from 'node:child_process';
import { BIN, fmt, generateProject, machine, medians, ratio } from './lib.mjs';

const runs = Number(process.argv[2] ?? 5);
const dir = generateProject('lint-1000', 1000);
const time = (args) => () => {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  // lint exits 7 when it finds breaking changes; the generated files have none, so 0 is expected.
  if (r.status !== 0) throw new Error(`exit ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const [floor, lint] = medians([time(['-e', '0']), time([BIN, 'lint', '--dir', dir])], runs);
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs: node -e 0 ${fmt(floor)}, lint 1,000 files ${fmt(lint)} (${ratio(lint, floor)} node -e 0)`);
