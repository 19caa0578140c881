// Apply, no-op rerun and revert of 1,000 and 5,000 generated migrations on PostgreSQL, whole process,
// next to the PostgreSQL floor measured in the same run: the same DDL through psql, one transaction per
// migration with one history insert (and one delete per revert).
// Usage: node bench/postgres.mjs [admin-url|tmpfs]   (default postgres://postgres@127.0.0.1:5432/postgres; RUNS=4, SIZES=1000,5000)
//   tmpfs: a throw-away cluster whose data directory is on /dev/shm (bench/tmpfs-cluster.mjs), where no fsync hides the overhead.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, generateProject, machine, median, ratio, timeProcess, WORK } from './lib.mjs';
import { startTmpfsCluster } from './tmpfs-cluster.mjs';

const cluster = process.argv[2] === 'tmpfs' ? startTmpfsCluster() : undefined;
process.on('exit', () => cluster?.stop());
const admin = cluster?.url ?? process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const psql = (url, args) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args], {
  stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
});
const dbUrl = (name) => { const u = new URL(admin); u.pathname = `/${name}`; return u.toString(); };
const freshDb = (name) => { psql(admin, ['-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`]); return dbUrl(name); };
const dropDb = (name) => psql(admin, ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);

const deploy = (i) => `CREATE TABLE bench_t${i} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL\n)`;
const floorScript = (n, revert) => {
  const lines = ['CREATE TABLE IF NOT EXISTS floor_history (name text PRIMARY KEY, checksum text, applied_at timestamptz DEFAULT now());'];
  const order = [...Array(n).keys()];
  for (const i of revert ? order.reverse() : order) {
    lines.push(revert
      ? `BEGIN; DROP TABLE bench_t${i}; DELETE FROM floor_history WHERE name = 'm${i}'; COMMIT;`
      : `BEGIN; ${deploy(i)}; INSERT INTO floor_history (name, checksum) VALUES ('m${i}', md5('m${i}')); COMMIT;`);
  }
  const file = join(WORK, `floor-${revert ? 'revert' : 'apply'}-${n}.sql`);
  writeFileSync(file, lines.join('\n'));
  return file;
};

const runs = Number(process.env.RUNS ?? 4);
console.log(`machine: ${machine()}`);
console.log(`cluster: ${cluster ? 'data directory on tmpfs (/dev/shm)' : 'the server at the admin URL (its own disk)'}`);
console.log(`median of ${runs} runs; node -e 0: ${fmt(median(Array.from({ length: 5 }, () => timeProcess(process.execPath, ['-e', '0']))))}`);
for (const n of (process.env.SIZES ?? '1000,5000').split(',').map(Number)) {
  const dir = generateProject(`pg-${n}`, n);
  const t = { floorApply: [], floorRevert: [], up: [], noop: [], down: [], node: [], graph: [] };
  const floor = () => {
    const floorDb = freshDb('sqlmig_bench_floor');
    t.floorApply.push(timeProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', floorDb, '-f', floorScript(n, false)]));
    t.floorRevert.push(timeProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', floorDb, '-f', floorScript(n, true)]));
    dropDb('sqlmig_bench_floor');
  };
  const sqlmig = () => {
    const db = freshDb('sqlmig_bench');
    t.up.push(timeProcess(process.execPath, [BIN, 'up', '--dir', dir, '--db', db, '--quiet']));
    t.noop.push(timeProcess(process.execPath, [BIN, 'up', '--dir', dir, '--db', db, '--quiet']));
    t.node.push(timeProcess(process.execPath, ['-e', '0']));
    // What a no-op up does without a database: read, check and order the same folder.
    t.graph.push(timeProcess(process.execPath, [BIN, 'graph', '--dir', dir]));
    t.down.push(timeProcess(process.execPath, [BIN, 'down', '--all', '--dir', dir, '--db', db, '--quiet']));
    dropDb('sqlmig_bench');
  };
  // Which goes first alternates: what one run leaves to the server (dropped files, WAL to checkpoint)
  // slows the next, and it must not always fall on the same side.
  for (let r = 0; r < runs; r++) {
    if (r % 2 === 0) { floor(); sqlmig(); } else { sqlmig(); floor(); }
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  console.log(`\n${n} migrations`);
  console.log(`  apply      sqlmig ${fmt(m.up).padStart(9)}   psql floor ${fmt(m.floorApply).padStart(9)}   ${ratio(m.up, m.floorApply)} floor`);
  console.log(`  revert all sqlmig ${fmt(m.down).padStart(9)}   psql floor ${fmt(m.floorRevert).padStart(9)}   ${ratio(m.down, m.floorRevert)} floor`);
  console.log(`  no-op up   sqlmig ${fmt(m.noop).padStart(9)}   node -e 0  ${fmt(m.node).padStart(9)}   ${ratio(m.noop, m.node)} node -e 0, ${ratio(m.noop, m.graph)} graph (${fmt(m.graph)})`);
}
