// What verify's snapshots cost the server per file, on schemas of bench/dag.mjs of 30, 300 and 1,000
// files: the CPU time of the database's backend (from /proc: other work on the machine moves it far less
// than wall time) over a round trip as verify makes it — snapshot, deploy, snapshot, savepoint, revert,
// snapshot, roll back — for four kinds of file, minus the same round trip without snapshots.
// Usage: node bench/snapshot-cost.mjs [admin-url]   (N=60 round trips per kind; SIZES=30,300,1000;
// SQLMIG_ROOT=<another checkout, built> measures its snapshots too; the server on this machine)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generateDag } from './dag.mjs';
import { BIN, ROOT, machine } from './lib.mjs';

const admin = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const n = Number(process.env.N ?? 60);
const sizes = (process.env.SIZES ?? '30,300,1000').split(',').map(Number);
const roots = { this: ROOT, ...(process.env.SQLMIG_ROOT && { other: process.env.SQLMIG_ROOT }) };
const psql = (args) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', admin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
const dbUrl = (name) => { const u = new URL(admin); u.pathname = `/${name}`; return u.toString(); };

/** [deploy, revert] on the dag's table app.t10. */
const FILES = {
  table: [`CREATE TABLE app.zz (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, note text DEFAULT 'x');
    COMMENT ON TABLE app.zz IS 'z'`, 'DROP TABLE app.zz'],
  column: ['ALTER TABLE app.t10 ADD COLUMN e int', 'ALTER TABLE app.t10 DROP COLUMN e'],
  function: ['CREATE FUNCTION app.ff() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', 'DROP FUNCTION app.ff()'],
  comment: [`COMMENT ON COLUMN app.t10.note IS 'n'`, 'COMMENT ON COLUMN app.t10.note IS NULL'],
};

/** Backend CPU ms per round trip of each kind, snapshots taken by `snapshot` (or none). */
async function measure(root, url, snapshots) {
  const { openDriver } = await import(`${root}/dist/drivers/index.js`);
  const driver = await openDriver(url, { lockWaitMs: 0 });
  const s = await driver.connect();
  await s.execute('CREATE SCHEMA IF NOT EXISTS sqlmig');
  if (snapshots) await driver.prepareSnapshots?.(s, 'sqlmig');
  const [{ pid }] = await s.query('SELECT pg_backend_pid() AS pid');
  const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
  // A build whose snapshot takes no base snapshots before BEGIN and after the revert, as its verify did.
  const withBase = driver.snapshot.length >= 3;
  const snap = (base) => (snapshots ? driver.snapshot(s, 'sqlmig', base) : undefined);
  let schema = await snap();
  const out = {};
  for (const [kind, [deploy, revert]] of Object.entries(FILES)) {
    const start = cpu();
    for (let i = 0; i < n; i++) {
      const before0 = withBase ? undefined : await snap();
      await s.execute('BEGIN');
      const before = withBase ? await snap({ of: schema, since: 'unchanged' }) : before0;
      await s.execute(deploy);
      const deployed = withBase ? await snap({ of: before, since: 'this transaction' }) : undefined;
      await s.execute('SAVEPOINT reverted');
      await s.execute(revert);
      await snap(withBase ? { of: deployed, since: 'this transaction' } : undefined);
      await s.execute('ROLLBACK');
      schema = before;
    }
    out[kind] = (cpu() - start) / n;
  }
  await s.close();
  return out;
}

console.log(`machine: ${machine()}`);
console.log(`server CPU ms per file spent on snapshots (${n} round trips per kind), PostgreSQL at ${admin}`);
for (const size of sizes) {
  const name = `sqlmig_bench_snapshots_${size}`;
  psql(['-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`]);
  execFileSync(process.execPath, [BIN, 'up', '--dir', generateDag(`verify-dag-${size}`, size), '--db', dbUrl(name), '--quiet']);
  const floor = await measure(ROOT, dbUrl(name), false);
  for (const [build, root] of Object.entries(roots)) {
    const cost = await measure(root, dbUrl(name), true);
    console.log(`  ${String(size).padStart(5)} files  ${build.padEnd(6)} ${Object.keys(FILES).map((k) => `${k} ${(cost[k] - floor[k]).toFixed(1)}`).join('  ')}`);
  }
  psql(['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
}
