import { describe, expect, it } from 'vitest';
import { SQLITE } from '../../src/core/dialect.js';
import type { TokenKind } from '../../src/core/lexer.js';
import { parseMigration } from '../../src/core/parse.js';
import { leadingWords } from '../../src/core/statements.js';
import { normaliseSql } from '../../src/drivers/sqlite-snapshot.js';

const kinds = (sql: string) => SQLITE.tokenize(sql).tokens.map((t) => [t.kind, sql.slice(t.start, t.end)]);
const split = (sql: string) => {
  const { tokens } = SQLITE.tokenize(sql);
  return SQLITE.splitStatements(sql, tokens).map((s) => sql.slice(s.start, s.end));
};

describe('SQLite dialect: tokenize', () => {
  const cases: [string, [TokenKind, string][]][] = [
    ['[my col] x', [['quoted-identifier', '[my col]'], ['word', 'x']]],
    ['[a "b" `c`]', [['quoted-identifier', '[a "b" `c`]']]],
    ['`my ``col```', [['quoted-identifier', '`my ``col```']]],
    ['"a;b"', [['quoted-identifier', '"a;b"']]],
    // Block comments do not nest: the first */ closes.
    ['/* a /* b */ x */', [['block-comment', '/* a /* b */'], ['word', 'x'], ['operator', '*'], ['operator', '/']]],
    // No dollar quotes: $name and $1 are parameters, and a lone $ is an operator.
    ['$name $1 $ x', [['parameter', '$name'], ['parameter', '$1'], ['operator', '$'], ['word', 'x']]],
    ["$a; SELECT '$$;'", [['parameter', '$a'], ['semicolon', ';'], ['word', 'SELECT'], ['string', "'$$;'"]]],
    // No backslash escapes: E'…' is a plain string after all.
    ["'a\\' x", [['string', "'a\\'"], ['word', 'x']]],
    ["X'ff'", [['string', "X'ff'"]]],
  ];
  it.each(cases)('%j', (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
    expect(SQLITE.tokenize(sql).problems).toEqual([]);
  });

  it('reports an unterminated bracket or backtick identifier at its start', () => {
    expect(SQLITE.tokenize('select [abc').problems).toMatchObject([{ code: 'unterminated-identifier', offset: 7 }]);
    expect(SQLITE.tokenize('select `abc').problems).toMatchObject([{ code: 'unterminated-identifier', offset: 7 }]);
  });
});

describe('SQLite dialect: splitStatements', () => {
  const cases: [string, string[]][] = [
    ['CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET n = 1; END; SELECT 1',
      ['CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET n = 1; END', 'SELECT 1']],
    ['CREATE TEMP TRIGGER IF NOT EXISTS t BEFORE DELETE ON a BEGIN\n  SELECT CASE WHEN old.id = 1 THEN RAISE(ABORT, \'no\') END;\n  DELETE FROM b WHERE id = CASE old.id WHEN 2 THEN 3 ELSE old.id END;\nEND;\nx',
      ['CREATE TEMP TRIGGER IF NOT EXISTS t BEFORE DELETE ON a BEGIN\n  SELECT CASE WHEN old.id = 1 THEN RAISE(ABORT, \'no\') END;\n  DELETE FROM b WHERE id = CASE old.id WHEN 2 THEN 3 ELSE old.id END;\nEND', 'x']],
    // CASE outside a trigger body does not open a block.
    ["SELECT CASE WHEN 1 THEN 'a' END; SELECT 2", ["SELECT CASE WHEN 1 THEN 'a' END", 'SELECT 2']],
    ['SELECT "a;b", [c;d], `e;f`; SELECT 2', ['SELECT "a;b", [c;d], `e;f`', 'SELECT 2']],
    ['BEGIN IMMEDIATE; COMMIT', ['BEGIN IMMEDIATE', 'COMMIT']],
  ];
  it.each(cases)('%j', (sql, expected) => {
    expect(split(sql)).toEqual(expected);
  });

  it('names transaction control, and not a trigger\'s BEGIN', () => {
    const control = (sql: string) => {
      const { tokens } = SQLITE.tokenize(sql);
      return SQLITE.splitStatements(sql, tokens).map((s) => SQLITE.transactionControl(leadingWords(sql, tokens, s, 2)) ?? '-');
    };
    expect(control('BEGIN DEFERRED; END TRANSACTION; SAVEPOINT a; RELEASE a; ROLLBACK')).toEqual(['BEGIN', 'END', 'SAVEPOINT', 'RELEASE', 'ROLLBACK']);
    expect(control('CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END')).toEqual(['-']);
  });
});

describe('the foreign-keys directive', () => {
  const enc = new TextEncoder();
  const parse = (text: string, dialect = SQLITE) => parseMigration({ path: 'db/m.sql', name: 'm', bytes: enc.encode(text) }, dialect);
  const problems = (text: string, dialect = SQLITE) =>
    parse(text, dialect).diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.code}: ${d.message}`);

  it('reads off and on (any case); the default is on', () => {
    expect(parse('-- foreign-keys: off\nselect 1;').value!.foreignKeys).toBe(false);
    expect(parse('-- Foreign-Keys: ON\nselect 1;').value!.foreignKeys).toBe(true);
    expect(parse('select 1;').value!.foreignKeys).toBe(true);
  });

  it('counts in the checksum when off, and leaves the checksum of every other file as it was', () => {
    const plain = parse('create table t (id int);').value!.checksum;
    expect(parse('-- foreign-keys: on\ncreate table t (id int);').value!.checksum).toBe(plain);
    expect(parse('-- foreign-keys: off\ncreate table t (id int);').value!.checksum).not.toBe(plain);
  });

  it('is an error on another dialect, with transaction: off, with a wrong value, and misspelt', async () => {
    const { POSTGRES } = await import('../../src/core/dialect.js');
    expect(problems('-- foreign-keys: off\nselect 1;', POSTGRES)).toEqual(['1:4 dialect-directive: "foreign-keys:" is not a directive of the postgres dialect']);
    expect(problems('-- foreign-keys: off\n-- transaction: off\nselect 1;')).toEqual([
      '1:18 foreign-keys-without-transaction: "foreign-keys: off" needs a transaction, and this file has "transaction: off"',
    ]);
    expect(problems('-- foreign-keys: no\nselect 1;')).toEqual(['1:18 invalid-directive: "foreign-keys:" takes "off" or "on", not "no"']);
    expect(problems('-- foreign_keys: off\nselect 1;')).toEqual(['1:4 misspelt-directive: unknown directive "foreign_keys:"']);
  });
});

describe('normaliseSql (SQLite snapshots)', () => {
  it('keeps tokens only: whitespace, comments and keyword case do not count; string contents do', () => {
    expect(normaliseSql("CREATE VIEW v AS\n  SELECT  a -- why\n FROM t WHERE b = 'X  y'"))
      .toBe("create view v as select a from t where b = 'X  y'");
  });

  it('leaves a table\'s name out, which ALTER TABLE … RENAME rewrites in quotes', () => {
    expect(normaliseSql('CREATE TABLE "parent" (id INTEGER PRIMARY KEY)', true)).toBe(normaliseSql('CREATE TABLE parent(id integer primary key)', true));
    expect(normaliseSql('CREATE TEMP TABLE IF NOT EXISTS main.[t] (a)', true)).toBe('create table ( a )');
  });
});
