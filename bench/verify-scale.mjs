// verify at the scale of years of history: a generated 300-file DAG (a long chain, branches that merge
// back, transaction: off files; bench/dag.mjs) on one PostgreSQL server, against `up` of the same files
// in the same run: verify, verify --isolation, and verify of the last few files only (what a pull request adds).
// Usage: node bench/verify-scale.mjs [admin-url]   (RUNS=3, SIZE=300; SQLMIG_BIN=…/bin/sqlmig.js times another build too)
import { execFileSync } from 'node:child_process';
import { generateDag } from './dag.mjs';
import { BIN, fmt, machine, median, ratio, timeProcess } from './lib.mjs';

const admin = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const runs = Number(process.env.RUNS ?? 3);
const size = Number(process.env.SIZE ?? 300);
const dir = generateDag(`verify-dag-${size}`, size);
const psql = (args) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', admin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
const dbUrl = (name) => { const u = new URL(admin); u.pathname = `/${name}`; return u.toString(); };
const names = execFileSync(process.execPath, [BIN, 'graph', '--dir', dir, '--format', 'json']).toString();
const last = JSON.parse(names).migrations.slice(-3).map((m) => m.name);

const builds = { this: BIN, ...(process.env.SQLMIG_BIN && { other: process.env.SQLMIG_BIN }) };
const commands = {
  up: (bin) => {
    psql(['-c', 'DROP DATABASE IF EXISTS sqlmig_bench_up', '-c', 'CREATE DATABASE sqlmig_bench_up']);
    return timeProcess(process.execPath, [bin, 'up', '--dir', dir, '--db', dbUrl('sqlmig_bench_up'), '--quiet']);
  },
  verify: (bin) => timeProcess(process.execPath, [bin, 'verify', '--dir', dir, '--db', admin, '--quiet']),
  'verify --isolation': (bin) => timeProcess(process.execPath, [bin, 'verify', '--isolation', '--dir', dir, '--db', admin, '--quiet']),
  'verify (last 3 files)': (bin) => timeProcess(process.execPath, [bin, 'verify', ...last, '--dir', dir, '--db', admin, '--quiet']),
  'verify --isolation (last 3)': (bin) => timeProcess(process.execPath, [bin, 'verify', '--isolation', ...last, '--dir', dir, '--db', admin, '--quiet']),
};
const times = {};
for (let r = 0; r < runs; r++) {
  for (const [build, bin] of Object.entries(builds)) {
    for (const [what, run] of Object.entries(commands)) {
      // Another build may not know `verify NAME…`.
      if (build !== 'this' && what.includes('last')) continue;
      (times[`${build} ${what}`] ??= []).push(run(bin));
    }
  }
}
psql(['-c', 'DROP DATABASE IF EXISTS sqlmig_bench_up']);
console.log(`machine: ${machine()}`);
console.log(`${size} generated migrations (bench/dag.mjs), median of ${runs} runs, PostgreSQL at ${admin}`);
for (const build of Object.keys(builds)) {
  const up = median(times[`${build} up`]);
  for (const what of Object.keys(commands)) {
    const t = times[`${build} ${what}`];
    if (t) console.log(`  ${build.padEnd(6)} ${what.padEnd(28)} ${fmt(median(t)).padStart(10)}   ${ratio(median(t), up)} up`);
  }
}
