#!/usr/bin/env node
// Converts a real-world migrations folder with `sqlmig import`, checks the order sqlmig derives against the
// tool's own order (computed here from the file names, by the rule the tool documents), then applies the
// converted project to a fresh PostgreSQL database: up, down --all, up, comparing the schema (`sqlmig dump`)
// before and after. Prints what did not convert or apply, with file names.
//
//   node scripts/real-world-import.mjs DIR TOOL [--server postgres://postgres@127.0.0.1:5432] [--setup SQL] [--out FOLDER] [--json]
//
// TOOL: golang-migrate, goose, flyway or dbmate. The corpora are other people's code: keep them out of git
// (bench/.work/real-world/ is ignored); README.md says how to rebuild the ones it quotes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/sqlmig.js');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    // SQL the project's own tooling runs before its migrations (a schema, roles), run on the fresh database first.
    setup: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const [source, tool] = positionals;
if (!source || !toolOrders()[tool]) {
  console.error(`usage: node scripts/real-world-import.mjs DIR TOOL (${Object.keys(toolOrders()).join(', ')}) [--server URL] [--setup SQL] [--out FOLDER] [--json]`);
  process.exit(2);
}

if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
  console.error('build first: npm run build');
  process.exit(2);
}

const work = mkdtempSync(join(ROOT, 'bench/.work/real-world-run-'));
// sqlmig runs in the work folder with a relative --dir, so that its messages name migrations/NAME.sql.
const out = values.out ? resolve(values.out) : 'migrations';
const sourceDir = resolve(source);
const report = { source, tool, files: 0, converted: 0, warnings: {}, notConverted: [], orderMatches: false, orderProblems: [] };

try {
  run();
} finally {
  rmSync(work, { recursive: true, force: true });
}

function run() {
  // 1. Convert.
  const imported = sqlmig(['import', '--from', tool, sourceDir, '--dir', out, '--json']);
  const sourcePrefix = `${sourceDir.split('\\').join('/')}/`;
  if (imported.status !== 0) {
    report.importFailed = firstLines(imported.stderr, 40);
    return finish();
  }
  const result = JSON.parse(imported.stdout);
  report.converted = result.files.length;
  for (const w of result.warnings) {
    (report.warnings[w.code] ??= []).push(w.position ? `${w.position.path.replace(sourcePrefix, '')}:${w.position.line}` : w.message);
  }
  const fromOf = new Map(result.files.map((f) => [f.name, f.from[0].replace(sourcePrefix, '')]));

  // 2. The order: sqlmig's (the graph of the converted folder) against the tool's, from the file names alone.
  const graph = sqlmig(['graph', '--format', 'json', '--dir', out]);
  if (graph.status !== 0) {
    report.graphFailed = firstLines(graph.stderr, 20);
    return finish();
  }
  const ours = JSON.parse(graph.stdout).migrations.map((m) => fromOf.get(m.name));
  const files = listFiles(sourceDir);
  report.files = files.length;
  const expected = toolOrders()[tool](files);
  const theirs = expected.order;
  report.notConverted = expected.notSql;
  const limit = Math.max(ours.length, theirs.length);
  for (let i = 0; i < limit && report.orderProblems.length < 5; i++) {
    if (ours[i] !== theirs[i]) report.orderProblems.push(`#${i + 1}: sqlmig ${ours[i] ?? '(nothing)'}, ${tool} ${theirs[i] ?? '(nothing)'}`);
  }
  report.orderMatches = report.orderProblems.length === 0;

  // 3. Apply to a fresh database: up, down --all, up; the schema must come back the same.
  const database = `sqlmig_real_world_${process.pid}`;
  const admin = `${values.server}/postgres`;
  psql(admin, `DROP DATABASE IF EXISTS ${database}`);
  psql(admin, `CREATE DATABASE ${database}`);
  const db = `${values.server}/${database}`;
  try {
    if (values.setup) psql(db, values.setup);
    const step = (name, args) => {
      const r = sqlmig([...args, '--dir', out, '--db', db]);
      const irreversible = r.stderr.match(/error\[irreversible\]/g)?.length;
      report[name] = r.status === 0 ? 'ok' : { exit: r.status, irreversible, problems: firstLines(r.stderr.slice(Math.max(0, r.stderr.search(/error\[/))), 8) };
      return r.status === 0;
    };
    const dump = () => sqlmig(['dump', '--dir', out, '--db', db]).stdout;
    const upDone = step('up', ['up']);
    report.applied = JSON.parse(sqlmig(['status', '--json', '--dir', out, '--db', db]).stdout).migrations.filter((m) => m.state === 'applied').length;
    if (!upDone) return finish();
    const before = dump();
    const downDone = step('downAll', ['down', '--all']);
    const left = JSON.parse(sqlmig(['status', '--json', '--dir', out, '--db', db]).stdout).migrations.filter((m) => m.state === 'applied').length;
    report.reverted = report.applied - left;
    if (!downDone) return finish();
    if (!step('upAgain', ['up'])) return finish();
    report.sameSchemaAfterDownAndUp = dump() === before;
  } finally {
    psql(admin, `DROP DATABASE IF EXISTS ${database}`);
  }
  finish();
}

function finish() {
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const lines = [
    `${tool} ${source}: ${report.files} files, ${report.converted} sqlmig files written`,
    ...Object.entries(report.warnings).map(([code, at]) => `  warning ${code} (${at.length}): ${at.slice(0, 8).join(', ')}${at.length > 8 ? ', …' : ''}`),
    ...(report.notConverted.length > 0 ? [`  not converted (not SQL): ${report.notConverted.join(', ')}`] : []),
  ];
  if (report.importFailed) lines.push('  import failed:', ...indent(report.importFailed));
  else if (report.graphFailed) lines.push('  graph failed:', ...indent(report.graphFailed));
  else {
    lines.push(`  order matches ${tool}'s: ${report.orderMatches ? 'yes' : 'no'}`, ...indent(report.orderProblems));
    for (const [key, label] of [['up', 'up'], ['downAll', 'down --all'], ['upAgain', 'up again']]) {
      if (report[key] === undefined) break;
      const failed = report[key] === 'ok' ? undefined : report[key];
      const refused = failed?.irreversible ? `: refused, ${failed.irreversible} files without a revert section` : '';
      const applied = key === 'up' ? ` (${report.applied} of ${report.converted} applied)` : key === 'downAll' ? ` (${report.reverted} reverted)` : '';
      lines.push(`  ${label}: ${failed ? `exit ${failed.exit}${refused}` : 'ok'}${applied}`);
      if (report[key] !== 'ok') lines.push(...indent(report[key].problems));
    }
    if (report.sameSchemaAfterDownAndUp !== undefined) lines.push(`  same schema after down --all and up: ${report.sameSchemaAfterDownAndUp ? 'yes' : 'no'}`);
  }
  console.log(lines.join('\n'));
}

function sqlmig(args) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
}

function firstLines(text, count) {
  return text.split('\n').filter((l) => l.trim() !== '').slice(0, count);
}

function indent(lines) {
  return lines.map((l) => `    ${l}`);
}

/** Paths below `dir`, `/`-separated, hidden ones left out. */
function listFiles(dir, prefix = '') {
  const files = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    if (name.startsWith('.')) continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(dir, path)).isDirectory()) files.push(...listFiles(dir, path));
    else files.push(path);
  }
  return files;
}

/**
 * Each tool's order, from its documentation, written here without sqlmig's code: the source file of each
 * migration in the order the tool applies them (`order`), and the migrations that are not SQL (`notSql`).
 */
function toolOrders() {
  const byNumber = (a, b) => (BigInt(a.version) < BigInt(b.version) ? -1 : BigInt(a.version) > BigInt(b.version) ? 1 : 0);
  const topLevel = (files) => files.filter((f) => !f.includes('/'));
  return {
    // "migrations are applied in ascending order of their version number" — one folder, N_title.up.sql.
    'golang-migrate': (files) => {
      const ups = topLevel(files).map((f) => /^(\d+)_.*\.up\.sql$/.exec(f)).filter(Boolean).map((m) => ({ version: m[1], path: m[0] }));
      return { order: ups.sort(byNumber).map((m) => m.path), notSql: [] };
    },
    // goose: N_name.sql and N_name.go in one folder, by version as a number; Go migrations are not SQL.
    goose: (files) => {
      const all = topLevel(files).filter((f) => !f.endsWith('_test.go')).map((f) => /^(\d+)_.*\.(sql|go)$/.exec(f)).filter(Boolean)
        .map((m) => ({ version: m[1], path: m[0] })).sort(byNumber);
      return { order: all.filter((m) => m.path.endsWith('.sql')).map((m) => m.path), notSql: all.filter((m) => m.path.endsWith('.go')).map((m) => m.path) };
    },
    // Flyway: V<version>__<description>.sql at any depth, versions compared part by part as numbers; then
    // R__<description>.sql by description (`_` read as a space), Java's string order.
    flyway: (files) => {
      const base = (f) => f.slice(f.lastIndexOf('/') + 1);
      const parts = (v) => {
        const p = v.split(/[._]/).map((x) => BigInt(x));
        while (p.length > 1 && p[p.length - 1] === 0n) p.pop();
        return p;
      };
      const compare = (a, b) => {
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          const x = a[i] ?? 0n, y = b[i] ?? 0n;
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      };
      const versioned = files.map((f) => ({ f, m: /^V(\d+(?:[._]\d+)*)__.+\.sql$/.exec(base(f)) })).filter((x) => x.m)
        .map((x) => ({ path: x.f, version: parts(x.m[1]) })).sort((a, b) => compare(a.version, b.version));
      const repeatable = files.map((f) => ({ f, m: /^R__(.+)\.sql$/.exec(base(f)) })).filter((x) => x.m)
        .map((x) => ({ path: x.f, description: x.m[1].replace(/_/g, ' ') }))
        .sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
      const java = files.filter((f) => /^(V\d|R__).*\.(java|kt|class)$/.test(base(f)));
      return { order: [...versioned, ...repeatable].map((m) => m.path), notSql: java };
    },
    // dbmate: files whose name starts with a version, in one folder, sorted by file name.
    dbmate: (files) => ({ order: topLevel(files).filter((f) => /^\d+.*\.sql$/.test(f)).sort(), notSql: [] }),
  };
}

