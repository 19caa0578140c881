// sqlmig import after the real tools: dbmate, sqitch and sql-migrate apply a generated 30-migration project to PostgreSQL, then
// import --db adopts their history, up writes nothing, and down --all and up leave the schema the tool left.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { freshPostgres, postgresUrl, type TestDatabase, schemaOf } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

/** One migration of the generated project, in no tool's format yet. */
interface Step {
  name: string;
  up: string;
  down: string;
  /** Changes it needs besides the one before it (sqitch's `[dependencies]`). */
  needs?: string[];
  /** Runs outside a transaction (CREATE INDEX CONCURRENTLY). */
  bare?: boolean;
  /** A later version of an earlier step of the same name (sqitch: a reworked change). */
  rework?: string;
}

const NORMALIZE_V1 = `CREATE FUNCTION normalize_email(address text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN lower(address);
END;
$$;`;
const NORMALIZE_V2 = `CREATE OR REPLACE FUNCTION normalize_email(address text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  -- trim first: addresses pasted from mail clients carry spaces; a ';' in a comment must not split
  RETURN lower(trim(address));
END;
$$;`;

/** Thirty migrations: tables, a column, an enum, indexes (one concurrent), a view, a function reworked once, a trigger, data. */
function steps(): Step[] {
  const list: Step[] = [{
    name: 'customers',
    up: 'CREATE TABLE customers (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  created_at timestamptz NOT NULL DEFAULT now()\n);',
    down: 'DROP TABLE customers;',
  }];
  for (let i = 1; i <= 19; i++) {
    const t = `ledger_${String(i).padStart(2, '0')}`;
    list.push({
      name: t, needs: ['customers'],
      up: `CREATE TABLE ${t} (\n  id serial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,\n  label text NOT NULL DEFAULT '${t}; ok'\n);`,
      down: `DROP TABLE ${t};`,
    });
  }
  list.push(
    { name: 'customer_name', needs: ['customers'], up: 'ALTER TABLE customers ADD COLUMN name text;', down: 'ALTER TABLE customers DROP COLUMN name;' },
    { name: 'customer_status', needs: ['customers'],
      up: "CREATE TYPE customer_status AS ENUM ('new', 'active', 'closed');\nALTER TABLE customers ADD COLUMN status customer_status NOT NULL DEFAULT 'new';",
      down: 'ALTER TABLE customers DROP COLUMN status;\nDROP TYPE customer_status;' },
    { name: 'customer_name_index', needs: ['customer_name'], up: 'CREATE INDEX customer_name_index ON customers (name);', down: 'DROP INDEX customer_name_index;' },
    { name: 'ledger_label_index', needs: ['ledger_01'], bare: true,
      up: 'CREATE INDEX CONCURRENTLY ledger_label_index ON ledger_01 (label);', down: 'DROP INDEX CONCURRENTLY ledger_label_index;' },
    { name: 'customer_counts', needs: ['customer_status', 'ledger_01'],
      up: 'CREATE VIEW customer_counts AS\n  SELECT c.status, count(l.id) AS entries FROM customers c LEFT JOIN ledger_01 l ON l.customer_id = c.id GROUP BY c.status;',
      down: 'DROP VIEW customer_counts;' },
    { name: 'normalize_email', up: NORMALIZE_V1, down: 'DROP FUNCTION normalize_email(text);' },
    { name: 'seed_customers', needs: ['customer_name'],
      up: "INSERT INTO customers (email, name) VALUES (' Ada@Example.com', 'Ada'), ('grace@example.com ', 'Grace'), ('Linus@example.com', 'Linus');",
      down: "DELETE FROM customers WHERE name IN ('Ada', 'Grace', 'Linus');" },
    { name: 'normalize_email', rework: 'normalize_email_trim', up: NORMALIZE_V2, down: NORMALIZE_V1.replace('CREATE', 'CREATE OR REPLACE') },
    { name: 'normalize_existing', needs: ['seed_customers'], up: 'UPDATE customers SET email = normalize_email(email);', down: '' },
    { name: 'email_trigger', needs: ['normalize_email'],
      up: `CREATE FUNCTION customers_normalize() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.email := normalize_email(NEW.email);
  RETURN NEW;
END;
$body$;
CREATE TRIGGER customers_normalize BEFORE INSERT OR UPDATE OF email ON customers FOR EACH ROW EXECUTE FUNCTION customers_normalize();`,
      down: 'DROP TRIGGER customers_normalize ON customers;\nDROP FUNCTION customers_normalize();' },
  );
  return list;
}

/** A tool that can apply the generated project: where its CLI is, how to write the project and run it. */
interface RealTool {
  tool: string;
  /** The executable, or why it is missing. */
  find(): { bin?: string; missing?: string };
  /** Writes the project into `dir`; returns the folder `sqlmig import` reads. */
  write(dir: string, list: Step[]): string;
  /** Applies every migration, as the tool's users do. */
  apply(bin: string, dir: string, url: string): void;
  history: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const stamp = (i: number) => `20240301${String(100000 + i).slice(1)}0`;

const DBMATE: RealTool = {
  tool: 'dbmate',
  // npm's dbmate ships the Go binary in @dbmate/linux-x64 (an optional dependency); DBMATE points at another install.
  find() {
    const bin = process.env.DBMATE ?? join(ROOT, 'node_modules/.bin/dbmate');
    return existsSync(bin) ? { bin } : { missing: `${bin} is missing: install dbmate with npm install --no-save --prefix .ci-tools dbmate@2.36.0 and set DBMATE=.ci-tools/node_modules/.bin/dbmate, as .ci/run does` };
  },
  write(dir, list) {
    const files: Record<string, string> = {};
    list.forEach((s, i) => {
      const option = s.bare ? ' transaction:false' : '';
      files[`${stamp(i)}_${s.rework ?? s.name}.sql`] = `-- migrate:up${option}\n${s.up}\n\n-- migrate:down${option}\n${s.down}\n`;
    });
    return writeFiles(join(dir, 'db/migrations'), files);
  },
  apply(bin, dir, url) {
    // lib/pq asks for TLS unless told otherwise; --no-dump-schema: dbmate would write db/schema.sql with pg_dump.
    const target = `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
    run(bin, ['--url', target, '--migrations-dir', join(dir, 'db/migrations'), '--no-dump-schema', 'up'], dir);
  },
  history: 'schema_migrations',
};

const SQITCH: RealTool = {
  tool: 'sqitch',
  find() {
    const found = spawnSync('sqitch', ['--version'], { encoding: 'utf8' });
    return found.status === 0 ? { bin: 'sqitch' } : { missing: 'sqitch is not installed (apt-get install sqitch libdbd-pg-perl)' };
  },
  write(dir, list) {
    const planner = 'Marge N. <marge@example.com>';
    const plan = ['%syntax-version=1.0.0', '%project=shop', ''];
    const files: Record<string, string> = {};
    list.forEach((s, i) => {
      const when = `2024-03-01T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
      let needs = s.needs ?? [];
      if (s.rework) {
        // sqitch rework: tag the plan, keep the old scripts as NAME@TAG.sql, the change requires its tagged self.
        plan.push(`@v1.0 ${when} ${planner} # before the rework`);
        for (const part of ['deploy', 'revert', 'verify']) files[`${part}/${s.name}@v1.0.sql`] = files[`${part}/${s.name}.sql`];
        needs = [`${s.name}@v1.0`];
      }
      plan.push(`${s.name}${needs.length ? ` [${needs.join(' ')}]` : ''} ${when} ${planner} # ${s.name}`);
      // sqitch's own templates: a header naming the change and its dependencies, BEGIN … COMMIT, verify in BEGIN … ROLLBACK.
      const header = (what: string) => `-- ${what} shop:${s.name} ${what === 'Deploy' ? 'to' : 'from'} pg\n${needs.map((n) => `-- requires: ${n}\n`).join('')}\n`;
      const wrap = (sql: string) => (s.bare || sql === '' ? `${sql}\n` : `BEGIN;\n\n${sql}\n\nCOMMIT;\n`);
      files[`deploy/${s.name}.sql`] = header('Deploy') + wrap(s.up);
      files[`revert/${s.name}.sql`] = header('Revert') + wrap(s.down);
      files[`verify/${s.name}.sql`] = `-- Verify shop:${s.name} on pg\n\nBEGIN;\n\nSELECT 1;\n\nROLLBACK;\n`;
    });
    files['sqitch.plan'] = `${plan.join('\n')}\n`;
    files['sqitch.conf'] = '[core]\n\tengine = pg\n';
    return writeFiles(join(dir, 'sqitch'), files);
  },
  apply(bin, dir, url) {
    run(bin, ['deploy', '--verify', `db:${url.replace(/^postgres(ql)?:/, 'pg:')}`], join(dir, 'sqitch'));
  },
  history: 'sqitch.changes',
};

const SQL_MIGRATE: RealTool = {
  tool: 'sql-migrate',
  find() {
    const found = spawnSync('sql-migrate', ['--version'], { encoding: 'utf8' });
    return found.status === 0 ? { bin: 'sql-migrate' } : { missing: 'sql-migrate is not installed (apt-get install sql-migrate)' };
  },
  write(dir, list) {
    const files: Record<string, string> = {};
    // sql-migrate splits at every semicolon: a dollar-quoted body needs StatementBegin … StatementEnd.
    const block = (sql: string) => (sql.includes('$') ? `-- +migrate StatementBegin\n${sql}\n-- +migrate StatementEnd` : sql);
    list.forEach((s, i) => {
      const option = s.bare ? ' notransaction' : '';
      files[`${i + 1}_${s.rework ?? s.name}.sql`] = `-- +migrate Up${option}\n${block(s.up)}\n\n-- +migrate Down\n${block(s.down)}\n`;
    });
    return writeFiles(join(dir, 'migrations'), files);
  },
  apply(bin, dir, url) {
    const config = `development:\n  dialect: postgres\n  datasource: ${url}?sslmode=disable\n  dir: ${join(dir, 'migrations')}\n`;
    writeFiles(dir, { 'dbconfig.yml': config });
    run(bin, ['up', '-config', join(dir, 'dbconfig.yml'), '-env', 'development'], dir);
  },
  history: 'gorp_migrations',
};

/** Runs a tool; its output goes into the error when it fails. */
function run(bin: string, args: string[], cwd: string): void {
  try {
    execFileSync(bin, args, {
      cwd, encoding: 'utf8', stdio: 'pipe',
      env: { ...process.env, SQITCH_FULLNAME: 'Marge N.', SQITCH_EMAIL: 'marge@example.com', SQITCH_CONFIG: join(cwd, 'sqitch.conf') },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}


const customers = (db: TestDatabase) => db.query('SELECT id, email, name, status FROM customers ORDER BY id');

describe.skipIf(!postgresUrl)('sqlmig import after the real tool ran', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => { for (const db of opened) await db.close(); });

  for (const real of [DBMATE, SQITCH, SQL_MIGRATE]) {
    const { bin, missing } = real.find();
    if (!bin) {
      // Under CI a missing tool is a failure; elsewhere the test is skipped, saying why.
      if (process.env.CI === 'true') {
        it(`${real.tool} is installed`, () => { throw new Error(`${missing} (CI=true: a missing tool is a failure)`); });
      } else {
        console.warn(`\n!!! ${missing}\n!!! SKIPPING the ${real.tool} round trip.\n`);
        it.skip(`${real.tool}: ${missing}`, () => undefined);
      }
      continue;
    }

    it(`${real.tool} applies 30 migrations; import --db, up writes nothing, down --all and up give its schema again`, async () => {
      const db = await freshPostgres();
      opened.push(db);
      const dir = tempDir(`${real.tool}-`);
      const source = real.write(dir, steps());
      real.apply(bin, dir, db.url!);
      const before = await schemaOf(db);
      const rows = await customers(db);
      expect(rows.map((r) => r.email)).toEqual(['ada@example.com', 'grace@example.com', 'linus@example.com']);
      const oldHistory = JSON.stringify(await db.query(`SELECT * FROM ${real.history}`));
      const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', db.url!], { cwd: dir });

      const imported = await cli(['import', '--from', real.tool, source]);
      expect(imported.stderr.replace(/^.*warning\[import-outside-transaction\].*\n(  hint.*\n)?/gm, '')).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('recorded 30 migrations as applied on postgres://');

      const mark = await db.writeMark();
      const up = await cli(['up']);
      expect(up.stderr).toBe('');
      expect(up.stdout).toContain('nothing to do');
      expect(await db.writeMark()).toBe(mark);

      const down = await cli(['down', '--all']);
      expect(down.stderr).toBe('');
      expect(down.code).toBe(0);
      expect(await db.tables()).toEqual(real.history.includes('.') ? [] : [real.history]);
      const again = await cli(['up']);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(await schemaOf(db)).toEqual(before);
      expect(await customers(db)).toEqual(rows);
      expect(JSON.stringify(await db.query(`SELECT * FROM ${real.history}`))).toBe(oldHistory);
    });
  }
});
