import { describe, expect, it } from 'vitest';
import { tokenize, type TokenKind } from '../../src/core/lexer.js';
import { leadingWords, leavesSessionAlone, splitStatements, transactionControl } from '../../src/core/statements.js';

const kinds = (sql: string) => tokenize(sql).tokens.map((t) => [t.kind, sql.slice(t.start, t.end)]);

describe('tokenize', () => {
  const cases: [string, [TokenKind, string][]][] = [
    ['select 1;', [['word', 'select'], ['number', '1'], ['semicolon', ';']]],
    ["'it''s'", [['string', "'it''s'"]]],
    ["E'a\\'b'", [['string', "E'a\\'b'"]]],
    ["'a\\' x", [['string', "'a\\'"], ['word', 'x']]],
    ['"my ""col"""', [['quoted-identifier', '"my ""col"""']]],
    ['$$ a; \'b $$', [['dollar-string', "$$ a; 'b $$"]]],
    ['$fn$ $$ ; $fn$', [['dollar-string', '$fn$ $$ ; $fn$']]],
    ['$1 + $2', [['parameter', '$1'], ['operator', '+'], ['parameter', '$2']]],
    ['a$b$ c', [['word', 'a$b$'], ['word', 'c']]],
    ['/* a /* nested */ still */ x', [['block-comment', '/* a /* nested */ still */'], ['word', 'x']]],
    ['-- c\nx', [['line-comment', '-- c'], ['word', 'x']]],
    ["U&'\\0041' U&\"x\"", [['string', "U&'\\0041'"], ['quoted-identifier', 'U&"x"']]],
    ["B'101' X'ff' N'n'", [['string', "B'101'"], ['string', "X'ff'"], ['string', "N'n'"]]],
    ['1.5e-3 .5', [['number', '1.5e-3'], ['number', '.5']]],
    ['\\i file', [['backslash', '\\'], ['word', 'i'], ['word', 'file']]],
    ['café_ñ', [['word', 'café_ñ']]],
  ];
  it.each(cases)('%j', (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
    expect(tokenize(sql).problems).toEqual([]);
  });

  const unterminated: [string, string, number][] = [
    ["select 'abc", 'unterminated-string', 7],
    ['select "abc', 'unterminated-identifier', 7],
    ['x /* a /* b */', 'unterminated-comment', 2],
    ['do $f$ begin', 'unterminated-dollar-quote', 3],
    ["E'a\\'", 'unterminated-string', 0],
  ];
  it.each(unterminated)('reports %j as %s at its start', (sql, code, offset) => {
    expect(tokenize(sql).problems).toMatchObject([{ code, offset }]);
  });
});

describe('splitStatements', () => {
  const split = (sql: string) => {
    const { tokens } = tokenize(sql);
    return splitStatements(sql, tokens).map((s) => sql.slice(s.start, s.end));
  };
  const cases: [string, string[]][] = [
    ['a; b;', ['a', 'b']],
    ['a; b', ['a', 'b']],
    ['-- only a comment\n;;', []],
    ["select ';'; select $$;$$", ["select ';'", 'select $$;$$']],
    ['create function f() returns int begin atomic select 1; select 2; end; select 3',
      ['create function f() returns int begin atomic select 1; select 2; end', 'select 3']],
    ['CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END; x',
      ['CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END', 'x']],
    ['select 1 /* c */ ; -- t\nselect 2', ['select 1', 'select 2']],
    ['begin; commit;', ['begin', 'commit']],
    ['CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); x',
      ['CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))', 'x']],
    // An unclosed parenthesis runs on to the end, as in psql; the server then reports the syntax error.
    ['select (1; select 2', ['select (1; select 2']],
  ];
  it.each(cases)('%j', (sql, expected) => expect(split(sql)).toEqual(expected));
});

describe('transactionControl', () => {
  const cases: [string, string | undefined][] = [
    ['BEGIN', 'BEGIN'], ['begin atomic', undefined], ['start transaction', 'START TRANSACTION'],
    ['commit and chain', 'COMMIT'], ['END', 'END'], ['rollback to x', 'ROLLBACK'], ['abort', 'ABORT'],
    ['savepoint a', 'SAVEPOINT'], ['release a', 'RELEASE'], ['prepare transaction', 'PREPARE TRANSACTION'],
    ['prepare q as select 1', undefined], ['start', undefined], ['create table t', undefined],
  ];
  it.each(cases)('%j -> %j', (sql, expected) => {
    const { tokens } = tokenize(sql);
    const [statement] = splitStatements(sql, tokens);
    expect(transactionControl(leadingWords(sql, tokens, statement, 2))).toBe(expected);
  });
});

describe('leavesSessionAlone', () => {
  const cases: [string, boolean][] = [
    ['CREATE TABLE t (id int PRIMARY KEY, at timestamptz DEFAULT now())', true],
    ['create unique index on t (lower(name))', true],
    ['ALTER TABLE t ALTER COLUMN c SET DEFAULT 0', true],
    ['DROP TABLE t CASCADE', true], ['COMMENT ON TABLE t IS $$select$$', true], ['GRANT SELECT ON t TO r', true],
    ['GRANT EXECUTE ON FUNCTION f() TO r', true], ['REVOKE SELECT ON t FROM r', true],
    ['CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config(\'a.b\', \'1\', false); END $$', true],
    // A view's, a trigger's, a rule's and a policy's queries are stored, not run.
    ['CREATE VIEW v AS SELECT 1', true], ['CREATE OR REPLACE RECURSIVE VIEW v (n) AS VALUES (1)', true],
    ['CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()', true],
    ['CREATE OR REPLACE CONSTRAINT TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE PROCEDURE f()', true],
    ['CREATE RULE r AS ON INSERT TO t DO INSTEAD SELECT 1', true], ['CREATE POLICY p ON t USING ((SELECT true))', true],
    ['CREATE MATERIALIZED VIEW m AS SELECT 1', false], ['CREATE VIEW pg_temp.v AS SELECT 1', false],
    ['CREATE TABLE pg_temp.t (id int)', false],
    ['CREATE TABLE t2 AS VALUES (1)', false], ['CREATE TEMP TABLE t (id int)', false],
    ['CREATE TEMPORARY VIEW v AS TABLE t', false], ['CREATE EXTENSION pgcrypto', false],
    ['SET search_path TO other', false], ['RESET ROLE', false], ['SET ROLE admin', false],
    ["SELECT set_config('search_path', '', false)", false], ['DO $$ BEGIN END $$', false], ['CALL p()', false],
    ['INSERT INTO t VALUES (1)', false], ['UPDATE t SET c = 1', false], ['PREPARE q AS SELECT 1', false],
    ['DECLARE c CURSOR WITH HOLD FOR SELECT 1', false], ['(SELECT 1)', false], ['ALTER TABLE t ADD c int; ', true],
  ];
  it.each(cases)('%j -> %j', (sql, expected) => {
    const { tokens } = tokenize(sql);
    const [statement] = splitStatements(sql, tokens);
    expect(leavesSessionAlone(sql, tokens, statement)).toBe(expected);
  });
});
