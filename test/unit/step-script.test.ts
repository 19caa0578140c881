import { POSTGRES } from '../../src/core/dialect.js';
import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/core/migration.js';
import { StepScript } from '../../src/core/step-script.js';

const section = { offset: 0 } as Section;

describe('StepScript', () => {
  const script = new StepScript({
    dialect: POSTGRES,
    prefix: 'BEGIN; SET LOCAL lock_timeout = 10;',
    sections: [
      { kind: 'deploy', sql: "-- 😀 comment\nCREATE TABLE a (id int);\n\nINSERT INTO a VALUES (1) -- last, no semicolon", section },
      { kind: 'verify', sql: 'SELECT 1/count(*) FROM a', section },
    ],
    record: "SELECT record('a')",
    commit: true,
    reset: 'RESET ALL; DISCARD TEMP;',
  });

  it('joins the statements without comments between them, each closed by a semicolon', () => {
    expect(script.text).toBe(
      'BEGIN; SET LOCAL lock_timeout = 10;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nSELECT 1/count(*) FROM a;\n'
      + "SELECT record('a');\nCOMMIT;\nRESET ALL; DISCARD TEMP;\n");
    expect(script.statements.map((s) => [s.kind, s.number, s.startInSection])).toEqual([['deploy', 1, 14], ['deploy', 2, 40], ['verify', 1, 0]]);
  });

  it('names the failing statement by how many completed when the error has no position', () => {
    // BEGIN and SET completed (2), then CREATE (3): the INSERT failed.
    expect(script.failedStatement(3, undefined)).toMatchObject({ kind: 'deploy', number: 2 });
    expect(script.failedStatement(4, undefined)).toMatchObject({ kind: 'verify', number: 1 });
    // The history write or COMMIT failed: no section statement.
    expect(script.failedStatement(5, undefined)).toBeUndefined();
    expect(script.ranAllStatements(5)).toBe(true);
    // BEGIN completed, the SET failed: sqlmig's own statement, not the file's.
    expect(script.failedStatement(1, undefined)).toBeUndefined();
    expect(script.ranAllStatements(1)).toBe(false);
  });

  it('names the failing statement by position (code points) when the server gives one, whatever completed', () => {
    const at = (needle: string) => [...script.text.slice(0, script.text.indexOf(needle))].length + 1;
    expect(script.failedStatement(0, at('INSERT'))).toMatchObject({ kind: 'deploy', number: 2, codePointStart: at('INSERT') - 1 });
    expect(script.failedStatement(0, at('count'))).toMatchObject({ kind: 'verify', number: 1 });
    expect(script.failedStatement(0, at('BEGIN'))).toBeUndefined();
  });

  it('leaves the session reset out when every statement is DDL that runs no query', () => {
    const ddl = (sql: string) => new StepScript({ dialect: POSTGRES, prefix: '', sections: [{ kind: 'deploy', sql, section }], record: 'SELECT 2;', reset: 'RESET ALL;' });
    const plain = ddl('CREATE TABLE t (id int DEFAULT 0);\nALTER TABLE t ALTER id SET NOT NULL;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT set_config($x$search_path$x$, $x$a$x$, false)::int $$;');
    expect(plain.sessionUntouched).toBe(true);
    expect(plain.text).not.toContain('RESET');
    expect(script.sessionUntouched).toBe(false);
    expect(script.text).toContain('RESET ALL');
  });

  it('keeps the session reset after DDL that evaluates a query or makes session state, whatever the case', () => {
    const untouched = (sql: string) => new StepScript({ dialect: POSTGRES, prefix: '', sections: [{ kind: 'deploy', sql, section }], record: 'SELECT 2;', reset: 'RESET ALL;' }).sessionUntouched;
    for (const sql of [
      'CREATE TEMP TABLE t (a int)', 'create Temporary table t (a int)', 'CREATE TABLE t AS SELECT 1', 'CREATE TABLE t AS VALUES (1)',
      'CREATE TABLE t AS EXECUTE p', 'CREATE EXTENSION hstore', 'ALTER TABLE t ADD c text DEFAULT SET_CONFIG(\'a.b\', \'c\', false)',
    ]) expect(untouched(`CREATE TABLE u (a int);\n${sql};`), sql).toBe(false);
    expect(untouched('CREATE TABLE template_of_values (selected int, executed text, temporaries int)')).toBe(true);
  });

  it('knows the step committed only once COMMIT completed', () => {
    expect(script.committed(6)).toBe(false);
    expect(script.committed(7)).toBe(true);
    const inRun = new StepScript({ dialect: POSTGRES, prefix: '', sections: [{ kind: 'deploy', sql: 'SELECT 1', section }], record: 'SELECT 2;' });
    expect(inRun.text).toBe('SELECT 1;\nSELECT 2;\n');
    expect(inRun.committed(99)).toBe(false);
    expect(inRun.failedStatement(0, undefined)).toMatchObject({ number: 1 });
  });
});

describe('statements of a section', () => {
  it('come from the parser for a file\'s own section, and are split again for SQL from the history', async () => {
    const { parseMigration } = await import('../../src/core/parse.js');
    const { sectionStatements } = await import('../../src/core/step-script.js');
    const m = parseMigration({ path: 'm.sql', name: 'm', bytes: new TextEncoder().encode('CREATE TABLE t (a int);\nSET search_path = x;\n-- revert:\nDROP TABLE t;\n') }).value!;
    expect(m.deploy.statements).toEqual([
      { start: 0, end: 22, leavesSessionAlone: true }, { start: 24, end: 43, leavesSessionAlone: false },
    ]);
    // The parser's own list is used as is (the same array), not recomputed.
    expect(sectionStatements(m.deploy.sql, m.deploy, POSTGRES)).toBe(m.deploy.statements);
    // Stored revert SQL of a file that is gone has no section: split here, to the same result.
    expect(sectionStatements(m.revert!.sql, undefined, POSTGRES)).toEqual(m.revert!.statements);
  });
});
