// `sqlmig lint` on 1,000 generated files and on one file of 1 MB and of 5 MB, whole process, next to `node -e 0`.
// Usage: node bench/lint.mjs [runs]   (SQLMIG_BIN=path/to/bin/sqlmig.js times another build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, generateProject, machine, medians, ratio, WORK } from './lib.mjs';

const runs = Number(process.argv[2] ?? 5);
const bin = process.env.SQLMIG_BIN ?? BIN;
const time = (args) => () => {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  // lint exits 7 when it finds breaking changes; the generated files have none, so 0 is expected.
  if (r.status !== 0) throw new Error(`exit ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/** One migration of `mb` MB: a table, then one INSERT per line (about 15,000 per MB), non-ASCII in each. */
function bigFile(mb) {
  const dir = join(WORK, `lint-${mb}mb`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = ['CREATE TABLE t (id int PRIMARY KEY, name text, note text);'];
  for (let size = 0, i = 0; size < mb * 1024 * 1024; i++) {
    lines.push(`INSERT INTO t VALUES (${i}, 'name ${i}', 'ünïcødé note ${i}');`);
    size += Buffer.byteLength(lines[lines.length - 1]) + 1;
  }
  writeFileSync(join(dir, '001_big.sql'), `${lines.join('\n')}\n-- revert:\nDROP TABLE t;\n`);
  return dir;
}

const projects = [['1,000 files', generateProject('lint-1000', 1000)], ['one 1 MB file', bigFile(1)], ['one 5 MB file', bigFile(5)]];
const [floor, ...lints] = medians([time(['-e', '0']), ...projects.map(([, dir]) => time([bin, 'lint', '--dir', dir]))], runs);
console.log(`machine: ${machine()}`);
console.log(`median of ${runs} runs: node -e 0 ${fmt(floor)}`);
projects.forEach(([what], i) => console.log(`  lint, ${what}: ${fmt(lints[i])} (${ratio(lints[i], floor)} node -e 0)`));
