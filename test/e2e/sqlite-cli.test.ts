// sqlmig on SQLite files, as a user runs it: commands, concurrency, kills, a busy database, bad targets, the example project.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqlmig, type CliOptions } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const table = (n: string) => `CREATE TABLE ${n} (id INTEGER);\n-- revert:\nDROP TABLE ${n};\n`;

/** A folder with migrations in `m/` and the database at `app.db`, not created yet. */
function project(files: Record<string, string>) {
  const cwd = tempDir('sqlite-cli-');
  writeFiles(join(cwd, 'm'), files);
  const path = join(cwd, 'app.db');
  const run = (args: string[], options: CliOptions = {}) =>
    sqlmig([...args, '--dir', 'm', ...(args.includes('--db') ? [] : ['--db', 'sqlite:app.db'])], { cwd, ...options });
  /** Reads the database with a connection of the test's own (which also rolls back a journal left by a kill). */
  const read = <T>(sql: string): T[] => {
    const db = new Database(path, { fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const history = () => read<{ name: string; status: string }>('SELECT name, status FROM sqlmig_migrations ORDER BY seq').map((r) => `${r.name}:${r.status}`);
  const tables = () => read<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlmig!_%' ESCAPE '!' ORDER BY 1`)
    .map((r) => r.name);
  return { cwd, path, run, read, history, tables };
}

describe('sqlmig on a SQLite file', () => {
  it('up, status, down, --to, --dry-run, --single-transaction, --log-only and resolve', async () => {
    const p = project({ '1.sql': table('a'), '2.sql': `-- requires: 1\n${table('b')}`, '3.sql': table('c') });
    const dry = await p.run(['up', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: 3 migrations would be applied on sqlite:app.db; nothing was changed');
    expect(existsSync(p.path)).toBe(false);

    const to = await p.run(['up', '--to', '2']);
    expect(to.code).toBe(0);
    expect(to.stdout).toMatch(/2 migrations applied to sqlite:app\.db in /);
    expect(p.history()).toEqual(['1:applied', '2:applied']);

    const status = JSON.parse((await p.run(['status', '--json'])).stdout);
    expect(status.migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`)).toEqual(['1:applied', '2:applied', '3:pending']);
    expect((await p.run(['status', '--exit-code'])).code).toBe(6);

    expect((await p.run(['down', '--all'])).code).toBe(0);
    expect(p.tables()).toEqual([]);

    // One transaction for the run: the failing third leaves nothing of the first two either.
    writeFileSync(join(p.cwd, 'm', '3.sql'), 'CREATE TABLE c (id INTEGER);\nSELECT nosuch FROM c;\n');
    const single = await p.run(['up', '--single-transaction']);
    expect(single.code).toBe(1);
    expect(single.stderr).toContain('m/3.sql:2:1 error[sql-failed]: 3: no such column: nosuch');
    expect(single.stderr).toContain('SQLITE_ERROR, statement 2 of the deploy section');
    expect(p.tables()).toEqual([]);
    expect(p.history()).toEqual([]);

    // Adopting a database that has `a` already: recorded, not run.
    const own = new Database(p.path);
    own.exec('CREATE TABLE a (id INTEGER)');
    own.close();
    const logOnly = await p.run(['up', '--log-only', '--to', '1']);
    expect(logOnly.code).toBe(0);
    expect(p.history()).toEqual(['1:applied']);

    writeFileSync(join(p.cwd, 'm', '3.sql'), '-- transaction: off\nCREATE TABLE c (id INTEGER);\nCREATE TABLE c (id INTEGER);\n-- revert:\nDROP TABLE c;\n');
    const half = await p.run(['up']);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('3 stopped at statement 2 outside a transaction and is recorded as failed');
    expect((await p.run(['up'])).code).toBe(5);
    const resolved = await p.run(['resolve', '3', '--applied']);
    expect(resolved.code).toBe(0);
    expect(p.history()).toEqual(['1:applied', '2:applied', '3:applied']);
    expect(p.tables()).toEqual(['a', 'b', 'c']);
    expect(existsSync(`${p.path}.lock`)).toBe(false);
  });

  it('two processes on one file apply each migration once', async () => {
    const slow = (n: string) => `CREATE TABLE ${n} (x INTEGER);\n`
      + `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) INSERT INTO ${n} SELECT x FROM c;\n-- revert:\nDROP TABLE ${n};\n`;
    const p = project({ '1.sql': slow('s1'), '2.sql': slow('s2'), '3.sql': slow('s3'), '4.sql': slow('s4'), '5.sql': slow('s5') });
    const [a, b] = await Promise.all([p.run(['up', '--json']), p.run(['up', '--json'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const applied = [a, b].map((r) => JSON.parse(r.stdout).steps.length).sort();
    expect(applied).toEqual([0, 5]);
    expect(p.history()).toEqual(['1:applied', '2:applied', '3:applied', '4:applied', '5:applied']);
    expect(p.read('SELECT count(*) AS n FROM sqlmig_events')).toEqual([{ n: 5 }]);
    expect(p.read('SELECT (SELECT count(*) FROM s1) + (SELECT count(*) FROM s5) AS n')).toEqual([{ n: 400_000 }]);
  });

  it('a failing third of five leaves the first two applied and nothing of the third', async () => {
    const p = project({
      '1.sql': table('t1'), '2.sql': table('t2'),
      '3.sql': 'CREATE TABLE t3 (id INTEGER PRIMARY KEY);\nINSERT INTO t3 VALUES (1);\nINSERT INTO t3 VALUES (1);\n-- revert:\nDROP TABLE t3;\n',
      '4.sql': table('t4'), '5.sql': table('t5'),
    });
    const r = await p.run(['up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('m/3.sql:3:1 error[sql-failed]: 3: UNIQUE constraint failed: t3.id');
    expect(r.stderr).toContain('SQLITE_CONSTRAINT_PRIMARYKEY, statement 3 of the deploy section');
    expect(r.stderr).toContain('sqlmig: 3 was not applied: its transaction was rolled back');
    expect(p.history()).toEqual(['1:applied', '2:applied']);
    expect(p.tables()).toEqual(['t1', 't2']);
  });

  it('kill -9 in the middle of a long migration leaves nothing half-done, and the next up finishes', async () => {
    const p = project({
      '1.sql': table('before'),
      '2.sql': 'CREATE TABLE big (x INTEGER);\n'
        + 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) INSERT INTO big SELECT x FROM c;\n-- revert:\nDROP TABLE big;\n',
    });
    // The file grows past a few MB only while `big` is being filled (pages spill from the cache).
    const filling = async () => existsSync(p.path) && statSync(p.path).size > 4_000_000;
    const killed = await p.run(['up'], { onSpawn: (child) => void waitFor(filling, 'the big insert running').then(() => child.kill('SIGKILL')) });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${p.path}-journal`)).toBe(true);
    expect(existsSync(`${p.path}.lock`)).toBe(true);
    // The next reader rolls the journal back: what the killed run committed stays, nothing of the rest.
    expect(p.history()).toEqual(['1:applied']);
    expect(p.tables()).toEqual(['before']);
    const rerun = await p.run(['up']);
    expect(rerun.code).toBe(0);
    expect(p.history()).toEqual(['1:applied', '2:applied']);
    expect(p.read('SELECT count(*) AS n FROM big')).toEqual([{ n: 8_000_000 }]);
    expect(existsSync(`${p.path}.lock`)).toBe(false);
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s during a long statement: the run stops before the next one, rolls back, unlocks, exits %i',
    async (signal, exitCode) => {
      const p = project({
        '1.sql': table('before'),
        '2.sql': 'CREATE TABLE big (x INTEGER);\n'
          + 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6000000) INSERT INTO big SELECT x FROM c;\n'
          + 'CREATE TABLE after_big (x INTEGER);\n-- revert:\nDROP TABLE big;\n',
        '3.sql': table('later'),
      });
      const filling = async () => existsSync(p.path) && statSync(p.path).size > 4_000_000;
      const r = await p.run(['up'], { onSpawn: (child) => void waitFor(filling, 'the big insert running').then(() => child.kill(signal)) });
      expect(r.code).toBe(exitCode);
      expect(r.stderr).toContain(`error[interrupted]: interrupted by ${signal}`);
      expect(existsSync(`${p.path}.lock`)).toBe(false);
      expect(existsSync(`${p.path}-journal`)).toBe(false);
      expect(p.history()).toEqual(['1:applied']);
      expect(p.tables()).toEqual(['before']);
    });

  it('a database another connection holds for writing is a clear error within --lock-wait (exit 4), not a hang', async () => {
    const p = project({ '1.sql': table('t') });
    const holder = new Database(p.path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const r = await p.run(['up', '--lock-wait', '1s']);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('error[lock]: sqlite:app.db is locked by another connection (waited 1s): database is locked');
      expect(r.stderr).toContain('hint: another program holds a write transaction on this database');
      expect(Date.now() - started).toBeLessThan(10_000);
      // Reading is not writing: status still works.
      expect((await p.run(['status'])).code).toBe(0);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await p.run(['up'])).code).toBe(0);
  });

  it('another sqlmig holding the lock file: exit 4 after --lock-wait, naming its pid', async () => {
    const p = project({ '1.sql': 'CREATE TABLE big (x INTEGER);\n'
      + 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6000000) INSERT INTO big SELECT x FROM c;\n-- revert:\nDROP TABLE big;\n' });
    let second: ReturnType<typeof p.run> | undefined;
    const first = p.run(['up'], {
      onSpawn: () => void waitFor(async () => existsSync(`${p.path}.lock`), 'the lock file').then(() => { second = p.run(['up', '--lock-wait', '1s']); }),
    });
    expect((await first).code).toBe(0);
    const b = await second!;
    expect(b.code).toBe(4);
    // Which wait runs out first depends on the moment: the lock file (naming its holder), or, while the
    // first run commits, SQLite's own lock on the file as the second one opens it. Exit 4 either way.
    expect(b.stderr).toMatch(/could not take the migration lock of schema "sqlmig" within 1s: held by pid \d+ on .* \(lock file .*app\.db\.lock\)|sqlite:app\.db is locked by another connection \(waited 1s\)/);
  });

  it('bad targets exit 3 with a clear message, and nothing is created or changed', async () => {
    const p = project({ '1.sql': table('t') });
    const files = () => readdirSync(p.cwd).sort();
    const before = files();

    const missingFolder = await p.run(['up', '--db', 'sqlite:nowhere/app.db']);
    expect(missingFolder.code).toBe(3);
    expect(missingFolder.stderr).toContain(`cannot open sqlite:nowhere/app.db: the folder ${join(p.cwd, 'nowhere')} does not exist`);

    mkdirSync(join(p.cwd, 'a-folder'));
    const folder = await p.run(['up', '--db', 'sqlite:a-folder']);
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain('cannot open sqlite:a-folder: it is a folder, not a database file');
    expect(readdirSync(join(p.cwd, 'a-folder'))).toEqual([]);

    writeFileSync(join(p.cwd, 'notes.txt'), 'not a database, but precious\n'.repeat(200));
    for (const command of ['up', 'status']) {
      const text = await p.run([command, '--db', 'sqlite:notes.txt']);
      expect(text.code).toBe(3);
      expect(text.stderr).toContain('cannot open sqlite:notes.txt: the file is not a SQLite database');
    }
    expect(readFileSync(join(p.cwd, 'notes.txt'), 'utf8')).toBe('not a database, but precious\n'.repeat(200));
    expect(files()).toEqual([...before, 'a-folder', 'notes.txt'].sort());

    // status on a missing file creates nothing.
    const status = await p.run(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('pending 1');
    expect(existsSync(p.path)).toBe(false);

    // A read-only file: status reads it, up may not write it.
    writeFileSync(join(p.cwd, 'm', '2.sql'), table('u'));
    expect((await p.run(['up', '--to', '1'])).code).toBe(0);
    chmodSync(p.path, 0o444);
    const bytes = readFileSync(p.path);
    const readOnlyStatus = await p.run(['status']);
    expect(readOnlyStatus.code).toBe(0);
    expect(readOnlyStatus.stdout).toContain('sqlite:app.db: 1 applied, 1 pending');
    const readOnly = await p.run(['up']);
    expect(readOnly.code).toBe(3);
    expect(readOnly.stderr).toContain('error[read-only]: cannot write to sqlite:app.db: the file is read-only (mode 444)');
    expect(readFileSync(p.path).equals(bytes)).toBe(true);
    expect(files()).toEqual([...before, 'a-folder', 'app.db', 'notes.txt'].sort());
  });

  it('applies, verifies and reverts the example project', async () => {
    const cwd = tempDir('sqlite-example-');
    cpSync('migrations-example-sqlite', join(cwd, 'migrations-example-sqlite'), { recursive: true });
    const run = (...args: string[]) => sqlmig([...args, '--dir', 'migrations-example-sqlite', '--db', 'sqlite:example.db'], { cwd });
    const up = await run('up');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/6 migrations applied to sqlite:example\.db in /);
    const db = new Database(join(cwd, 'example.db'));
    expect(db.prepare('SELECT * FROM [open tasks] ORDER BY task').all()).toEqual([
      { project: 'Launch', task: 'Ship it', status: 'open' }, { project: 'Launch', task: 'Write the docs', status: 'open' },
    ]);
    expect(() => db.prepare(`INSERT INTO tasks (project_id, title, status) VALUES (1, 'x', 'someday')`).run()).toThrow('status must be open, doing or done');
    db.close();
    expect((await run('up')).stdout).toBe('nothing to do: every migration is applied\n');
    const verify = await run('verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('sqlmig verify on in-memory SQLite databases: 6 of 6 migrations round-trip');
    const down = await run('down', '--all');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/6 migrations reverted/);
  });
});
