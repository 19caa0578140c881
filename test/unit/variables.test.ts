import { describe, expect, it } from 'vitest';
import { MYSQL, POSTGRES, SQLITE, type Dialect } from '../../src/core/dialect.js';
import { parseMigration } from '../../src/core/parse.js';
import { declaredValues, missingValues, redactValues, redactValuesIn, storedRevertSql, storedRevertVariables } from '../../src/core/variable-values.js';
import { fileOffsetOf, substituteSection, substituteVariables } from '../../src/core/variables.js';
import { PSQL_CASES } from '../helpers/psql-variables.js';

const substitute = (sql: string, vars: Record<string, string>, dialect: Dialect = POSTGRES) =>
  substituteVariables(sql, dialect, new Set(Object.keys(vars)), new Map(Object.entries(vars))).sql;

describe('substituteVariables: as psql -v does', () => {
  it.each(Object.entries(PSQL_CASES))('%s', (_, { sql, vars, sent }) => {
    expect(substitute(sql, vars)).toBe(sent);
  });

  it('substitutes only the declared names: a value given for another name changes nothing', () => {
    const sql = 'SELECT :a, :b;';
    expect(substituteVariables(sql, POSTGRES, new Set(['a']), new Map([['a', '1'], ['b', '2']])).sql).toBe('SELECT 1, :b;');
  });

  it('never substitutes inside a raw value', () => {
    expect(substitute('SELECT :a, :b;', { a: ':b', b: 'B' })).toBe('SELECT :b, B;');
  });
});

describe('substituteVariables: quoting and lexing per dialect', () => {
  const cases: [string, Dialect, string, Record<string, string>, string][] = [
    ['SQLite: a literal with a quote and a backslash', SQLITE, "SELECT :'s';", { s: "it's a\\b" }, "SELECT 'it''s a\\b';"],
    ['SQLite: an identifier', SQLITE, 'CREATE TABLE :"t" (x);', { t: 'a"b' }, 'CREATE TABLE "a""b" (x);'],
    ['SQLite: its own parameters and bracket names stay', SQLITE, 'SELECT :p, $p, [:n], `:n`, :n;', { n: '1' }, 'SELECT :p, $p, [:n], `:n`, 1;'],
    ['MySQL: a backslash is doubled in a literal', MYSQL, "SELECT :'s';", { s: "it's a\\b" }, "SELECT 'it''s a\\\\b';"],
    ['MySQL: an identifier in backticks', MYSQL, 'CREATE TABLE :"t" (x int);', { t: 'a`b' }, 'CREATE TABLE `a``b` (x int);'],
    ['MySQL: "…" is a string, # a comment, := an assignment', MYSQL, 'SELECT ":n", @v:=1 # :n\n, :n;', { n: '2' }, 'SELECT ":n", @v:=1 # :n\n, 2;'],
  ];
  it.each(cases)('%s', (_, dialect, sql, vars, sent) => {
    expect(substitute(sql, vars, dialect)).toBe(sent);
  });
});

describe('fileOffsetOf: the server\'s positions back to the file', () => {
  const sql = "SELECT :'pw', x FROM :s.t";
  const section = substituteSection({ sql, offset: 100 }, POSTGRES, new Set(['pw', 's']), new Map([['pw', 'a much longer secret'], ['s', 'q']]));

  it('keeps offsets before the first value, maps those inside a value to its placeholder and shifts those after', () => {
    expect(section.sql).toBe("SELECT 'a much longer secret', x FROM q.t");
    const at = (text: string) => fileOffsetOf(section, section.sql.indexOf(text));
    expect(at('SELECT')).toBe(100);
    expect(at('longer')).toBe(100 + sql.indexOf(":'pw'"));
    expect(at(', x')).toBe(100 + sql.indexOf(', x'));
    expect(at('q.t')).toBe(100 + sql.indexOf(':s'));
    expect(at('.t')).toBe(100 + sql.indexOf('.t'));
  });

  it('is the identity for a section without variables', () => {
    expect(fileOffsetOf({ sql: 'SELECT 1', offset: 7 }, 3)).toBe(10);
  });
});

describe('redactValues: values never shown', () => {
  const values = new Map([['pw', 'Canary#%/@:?pw'], ['schema', 'tenant_a'], ['n', 'ab']]);

  it('shows each value as its placeholder, a short one only where it stands alone', () => {
    expect(redactValues('password "Canary#%/@:?pw" is wrong for tenant_a.users', values)).toBe('password ":pw" is wrong for :schema.users');
    expect(redactValues('syntax error at or near "ab" in table abc', values)).toBe('syntax error at or near ":n" in table abc');
  });

  it('masks a value in any case: the server folds unquoted names to lower case', () => {
    expect(redactValues('schema "canary_x" does not exist', new Map([['s', 'Canary_X']]))).toBe('schema ":s" does not exist');
    expect(redactValues('regex (.*) and [x]', new Map([['r', '(.*)'], ['b', '[x]']]))).toBe('regex :r and :b');
  });

  it('masks the longer of two values that overlap', () => {
    expect(redactValues('x secret-and-more y', new Map([['a', 'secret'], ['b', 'secret-and-more']]))).toBe('x :b y');
  });

  it('redacts every string inside plain data', () => {
    expect(redactValuesIn({ a: ['tenant_a.t'], b: { c: 'in tenant_a' }, d: 1 }, values)).toEqual({ a: [':schema.t'], b: { c: 'in :schema' }, d: 1 });
  });
});

describe('values and the files that declare them', () => {
  const file = (name: string, text: string) => parseMigration({ path: `db/${name}.sql`, name, bytes: new TextEncoder().encode(text) }).value!;
  const a = file('a', '-- vars: app_schema, pw\nCREATE SCHEMA :"app_schema";\nSELECT :\'pw\';\n-- revert:\nDROP SCHEMA :"app_schema";\n');
  const b = file('b', '-- vars: pw\nSELECT :\'pw\';\n');

  it('keeps the values of declared names only', () => {
    expect([...declaredValues([a, b], { pw: 'x', other: 'y' })]).toEqual([['pw', 'x']]);
  });

  it('lists every declared variable without a value, at its declaration', () => {
    const missing = missingValues([a, b], new Map([['pw', 'x']]));
    expect(missing.map((d) => `${d.position!.path}:${d.position!.line}:${d.position!.column} ${d.code} ${d.message}`)).toEqual([
      'db/a.sql:1:10 missing-variable variable "app_schema" has no value',
    ]);
    expect(missingValues([a, b], new Map())).toHaveLength(3);
  });

  it('stores the revert SQL as written, after a line naming the variables, and reads the names back', () => {
    const stored = storedRevertSql(a)!;
    expect(stored).toBe('-- vars: app_schema, pw\nDROP SCHEMA :"app_schema";\n');
    expect(storedRevertVariables(stored)).toEqual(['app_schema', 'pw']);
    expect(storedRevertVariables('DROP TABLE t;')).toEqual([]);
  });
});
