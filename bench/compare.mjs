// Two builds of sqlmig side by side on the same migrations, alternating, with the psql floor of the
// same run: did a change cost anything? On a tmpfs cluster by default (commits cost no fsync there).
// Usage: node bench/compare.mjs OTHER_CHECKOUT [admin-url|tmpfs]   (RUNS=5, SIZE=1000)
//   OTHER_CHECKOUT: a built checkout of another commit, e.g. `git worktree add /tmp/before HEAD~3 && (cd /tmp/before && npm ci)`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BIN, fmt, generateProject, machine, median, ratio, timeProcess, WORK } from './lib.mjs';
import { startTmpfsCluster } from './tmpfs-cluster.mjs';

const other = resolve(process.argv[2] ?? '');
const where = process.argv[3] ?? 'tmpfs';
const cluster = where === 'tmpfs' ? startTmpfsCluster() : undefined;
const admin = cluster?.url ?? where;
try {
  const psql = (url, args) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  const dbUrl = (name) => { const u = new URL(admin); u.pathname = `/${name}`; return u.toString(); };
  const freshDb = (name) => { psql(admin, ['-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`]); return dbUrl(name); };
  const dropDb = (name) => psql(admin, ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  const n = Number(process.env.SIZE ?? 1000);
  const runs = Number(process.env.RUNS ?? 5);
  const dir = generateProject(`compare-${n}`, n);

  const floorFile = (revert) => {
    const lines = ['CREATE TABLE IF NOT EXISTS floor_history (name text PRIMARY KEY, checksum text, applied_at timestamptz DEFAULT now());'];
    const order = [...Array(n).keys()];
    for (const i of revert ? order.reverse() : order) {
      lines.push(revert
        ? `BEGIN; DROP TABLE bench_t${i}; DELETE FROM floor_history WHERE name = 'm${i}'; COMMIT;`
        : `BEGIN; CREATE TABLE bench_t${i} (id bigint PRIMARY KEY, name text NOT NULL); INSERT INTO floor_history (name, checksum) VALUES ('m${i}', md5('m${i}')); COMMIT;`);
    }
    const file = join(WORK, `compare-floor-${revert ? 'revert' : 'apply'}-${n}.sql`);
    writeFileSync(file, lines.join('\n'));
    return file;
  };
  const applyFile = floorFile(false);
  const revertFile = floorFile(true);

  const builds = { this: BIN, other: join(other, 'bin/sqlmig.js') };
  const t = { floor: { apply: [], revert: [] }, this: { apply: [], revert: [] }, other: { apply: [], revert: [] } };
  const runFloor = () => {
    const db = freshDb('sqlmig_compare');
    t.floor.apply.push(timeProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db, '-f', applyFile]));
    t.floor.revert.push(timeProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db, '-f', revertFile]));
    dropDb('sqlmig_compare');
  };
  const runBuild = (key) => () => {
    const db = freshDb('sqlmig_compare');
    t[key].apply.push(timeProcess(process.execPath, [builds[key], 'up', '--dir', dir, '--db', db, '--quiet']));
    t[key].revert.push(timeProcess(process.execPath, [builds[key], 'down', '--all', '--dir', dir, '--db', db, '--quiet']));
    dropDb('sqlmig_compare');
  };
  const order = [runFloor, runBuild('this'), runBuild('other')];
  // Rotate who goes first: what one run leaves to the server must not always fall on the same side.
  for (let r = 0; r < runs; r++) for (let k = 0; k < order.length; k++) order[(r + k) % order.length]();

  console.log(`machine: ${machine()}`);
  console.log(`${n} migrations on ${cluster ? 'a tmpfs cluster' : admin.replace(/:[^:@/]*@/, ':***@')}, median of ${runs}`);
  for (const phase of ['apply', 'revert']) {
    const floor = median(t.floor[phase]);
    const row = (key) => `${fmt(median(t[key][phase])).padStart(9)} (${ratio(median(t[key][phase]), floor)} floor)`;
    console.log(`  ${phase.padEnd(6)}  psql floor ${fmt(floor).padStart(9)}   this ${row('this')}   other ${row('other')}   this/other ${ratio(median(t.this[phase]), median(t.other[phase]))}`);
  }
} finally {
  cluster?.stop();
}
