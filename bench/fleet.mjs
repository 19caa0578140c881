// Many databases in one run: `up --targets` with --parallel against one `sqlmig up` process per target,
// run one after another — on databases, and on tenant schemas of one database. Wall time, peak memory
// of the sqlmig process, and the most sqlmig connections the server saw open at once.
// Usage: node bench/fleet.mjs [admin-url|tmpfs]
//   DATABASES=100 SCHEMAS=1000 MIGRATIONS=30 PARALLEL=8 LOOP_SCHEMAS=100 (the per-process loop over schemas
//   runs on the first LOOP_SCHEMAS tenants only; its time for SCHEMAS is that, scaled, and says so)
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BIN, generateProject, machine, WORK } from './lib.mjs';
import { startTmpfsCluster } from './tmpfs-cluster.mjs';

const where = process.argv[2] ?? 'tmpfs';
const DATABASES = Number(process.env.DATABASES ?? 100);
const SCHEMAS = Number(process.env.SCHEMAS ?? 1000);
const MIGRATIONS = Number(process.env.MIGRATIONS ?? 30);
const PARALLEL = Number(process.env.PARALLEL ?? 8);
const LOOP_SCHEMAS = Math.min(SCHEMAS, Number(process.env.LOOP_SCHEMAS ?? 100));

const cluster = where === 'tmpfs' ? startTmpfsCluster() : undefined;
const admin = cluster?.url ?? where;
const dbUrl = (name) => { const u = new URL(admin); u.pathname = `/${name}`; return u.toString(); };
const client = new pg.Client(admin);
await client.connect();
const made = [];

async function freshDatabase(name) {
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  made.push(name);
  return dbUrl(name);
}

/** sqlmig's sessions open on the server now (the migration sessions; a cancel would add one). */
async function sqlmigConnections() {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sqlmig'`);
  return rows[0].n;
}

/**
 * One sqlmig process under /usr/bin/time: wall time, its peak resident memory, and the most sqlmig
 * connections seen open while it ran (sampled every 10 ms).
 */
async function measure(args) {
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await sqlmigConnections());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  running = false;
  await sampler;
  if (code !== 0) throw new Error(`sqlmig ${args.join(' ')} exited ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
  const mb = Number(stderr.trim().split('\n').at(-1)) / 1024;
  return { ms, mb, connections: peak };
}

/** One process per target, one after another: total wall time and the largest process. */
function loop(argsOf, count) {
  let mb = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...argsOf(i)], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`per-process run ${i} exited ${r.status}: ${r.stderr}`);
    mb = Math.max(mb, Number(r.stderr.toString().trim().split('\n').at(-1)) / 1024);
  }
  return { ms: performance.now() - started, mb };
}

async function appliedEverywhere(urls, schemaOf = () => 'sqlmig') {
  for (const [i, url] of urls.entries()) {
    const c = new pg.Client(url);
    await c.connect();
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${schemaOf(i)}".migrations`);
    await c.end();
    if (rows[0].n !== MIGRATIONS) throw new Error(`${url} ${schemaOf(i)}: ${rows[0].n} of ${MIGRATIONS} applied`);
  }
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const dir = generateProject(`fleet-${MIGRATIONS}`, MIGRATIONS);
try {
  console.log(`machine: ${machine()}`);
  console.log(`${MIGRATIONS} migrations per target on ${cluster ? 'a tmpfs cluster' : admin.replace(/:[^:@/]*@/, ':***@')}, --parallel ${PARALLEL}`);

  // Databases: the fleet and the loop each on their own fresh set, the same work.
  const fleetDbs = [];
  const loopDbs = [];
  for (let i = 0; i < DATABASES; i++) fleetDbs.push(await freshDatabase(`fleet_bench_f${i}`));
  for (let i = 0; i < DATABASES; i++) loopDbs.push(await freshDatabase(`fleet_bench_l${i}`));
  const targetsFile = join(WORK, 'fleet-targets.json');
  writeFileSync(targetsFile, JSON.stringify({ targets: fleetDbs.map((db, i) => ({ name: `db${i}`, db })) }));
  const fleet = await measure(['up', '--dir', dir, '--targets', targetsFile, '--parallel', String(PARALLEL), '--quiet']);
  const perProcess = loop((i) => ['up', '--dir', dir, '--db', loopDbs[i], '--quiet'], DATABASES);
  await appliedEverywhere([...fleetDbs, ...loopDbs]);
  console.log(`\n${DATABASES} databases:`);
  console.log(`  up --targets --parallel ${PARALLEL}: ${s(fleet.ms)}, peak ${fleet.mb.toFixed(0)} MB, at most ${fleet.connections} connections`);
  console.log(`  one process per target:      ${s(perProcess.ms)}, largest process ${perProcess.mb.toFixed(0)} MB, 1 connection at a time`);
  console.log(`  speed-up: ${(perProcess.ms / fleet.ms).toFixed(1)}×`);
  for (const name of made.splice(0)) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);

  // Tenant schemas of one database, the list from a control query (its connection closes before any target starts).
  const tenantDb = await freshDatabase('fleet_bench_tenants');
  const query = `SELECT 'tenant_' || g AS name, 'tenant_' || g AS search_path FROM generate_series(1, ${SCHEMAS}) g`;
  const tenants = await measure(['up', '--dir', dir, '--targets-from', tenantDb, '--targets-query', query, '--parallel', String(PARALLEL), '--quiet']);
  await appliedEverywhere(Array(SCHEMAS).fill(tenantDb), (i) => `sqlmig_tenant_${i + 1}`);
  const loopDb = await freshDatabase('fleet_bench_tenants_loop');
  const tenantLoop = loop((i) => {
    const file = join(WORK, 'fleet-one-tenant.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: `tenant_${i + 1}`, db: loopDb, searchPath: `tenant_${i + 1}` }] }));
    return ['up', '--dir', dir, '--targets', file, '--quiet'];
  }, LOOP_SCHEMAS);
  await appliedEverywhere(Array(LOOP_SCHEMAS).fill(loopDb), (i) => `sqlmig_tenant_${i + 1}`);
  const scaled = (tenantLoop.ms / LOOP_SCHEMAS) * SCHEMAS;
  console.log(`\n${SCHEMAS} tenant schemas in one database:`);
  console.log(`  up --targets-from --parallel ${PARALLEL}: ${s(tenants.ms)}, peak ${tenants.mb.toFixed(0)} MB, at most ${tenants.connections} connections`);
  console.log(`  one process per tenant: ${s(tenantLoop.ms)} for ${LOOP_SCHEMAS} tenants`
    + `${LOOP_SCHEMAS < SCHEMAS ? `, ${s(scaled)} scaled to ${SCHEMAS}` : ''}, largest process ${tenantLoop.mb.toFixed(0)} MB`);
  console.log(`  speed-up: ${(scaled / tenants.ms).toFixed(1)}×${LOOP_SCHEMAS < SCHEMAS ? ' (against the scaled loop)' : ''}`);
} finally {
  for (const name of made) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await client.end();
  cluster?.stop();
}
