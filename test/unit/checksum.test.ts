import { describe, expect, it } from 'vitest';
import { legacyChecksum } from '../../src/core/checksum.js';
import { SQLITE } from '../../src/core/dialect.js';
import { parseMigration } from '../../src/core/parse.js';

const enc = new TextEncoder();
const checksum = (text: string, dialect = undefined as typeof SQLITE | undefined) => {
  const r = parseMigration({ path: 'db/m.sql', name: 'm', bytes: enc.encode(text) }, dialect);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.value!.checksum;
};

describe('migrationChecksum: what is drift', () => {
  const base = 'create table t (id int, note text default \'a  b\');\ncreate function f() returns int language sql as $$ select  1 $$;\n';
  // [what changed, the new deploy section]
  const same: [string, string][] = [
    ['a comment added', `-- users\n${base}`],
    ['a trailing comment', base.replace(');\n', '); -- the table\n')],
    ['a block comment inside a statement', base.replace('(id int', '(id /* key */ int')],
    ['spaces and line breaks outside literals', base.replace('create table t (id int, ', 'create  table\tt (\n  id int,\n  ')],
    ['blank lines between statements', base.replace(';\n', ';\n\n\n')],
    ['space around punctuation', base.replace('t (id int, note', 't(id int , note')],
    ['a requires line', `-- requires: other\n${base}`],
    ['the revert section', `${base}-- revert:\ndrop table t;\n`],
    ['the verify section', `${base}-- verify:\nselect 1;\n-- revert:\n`],
    ['CRLF line endings', base.replace(/\n/g, '\r\n')],
  ];
  const different: [string, string][] = [
    ['two words joined', base.replace('create table t', 'create table t2')],
    ['a word split', base.replace('note text', 'no te text')],
    ['spaces inside a string literal', base.replace("'a  b'", "'a b'")],
    ['spaces inside a dollar body', base.replace('select  1', 'select 1')],
    ['a keyword\'s case', base.replace('create table', 'CREATE TABLE')],
    ['transaction: off', `-- transaction: off\n${base}`],
    ['a statement added', `${base}create index on t (id);\n`],
  ];
  const baseSum = checksum(base);
  it.each(same)('is unchanged by %s', (_, text) => expect(checksum(text)).toBe(baseSum));
  it.each(different)('changes with %s', (_, text) => expect(checksum(text)).not.toBe(baseSum));

  it('keeps touching operator characters together (a <= b is not a < = b)', () => {
    expect(checksum('select 1 where 1 <= 2;')).not.toBe(checksum('select 1 where 1 < = 2;'));
    expect(checksum('select 1 where 1<=2;')).toBe(checksum('select 1 where 1 <= 2;'));
    expect(checksum('select a::int from t;')).toBe(checksum('select a :: int from t;'));
    // A comment separates operators, as it does for the server.
    expect(checksum('select 1 |/* */-2;')).toBe(checksum('select 1 | -2;'));
  });

  it('reads tokens in the file\'s dialect', () => {
    expect(checksum('create table [a  b] (x int);', SQLITE)).not.toBe(checksum('create table [a b] (x int);', SQLITE));
    expect(checksum('create table [a b]  (x int);', SQLITE)).toBe(checksum('create table [a b] (x int);', SQLITE));
  });
});

describe('legacyChecksum: the rule of earlier releases, which histories still hold', () => {
  it('is sha256 of the sorted requires, the transaction directive and the trimmed deploy text', () => {
    // The value earlier releases stored for "-- requires: b, a\ncreate table t();\n-- revert:\ndrop table t;".
    expect(legacyChecksum(['b', 'a'], true, 'create table t();\n')).toBe('2b22da7b4b02f5cc93ee52a5a4f9a4a61c547cdbf1ce0d7d551b8d6f9cab11cb');
    expect(legacyChecksum(['a', 'b', 'a'], true, '\ncreate table t();')).toBe(legacyChecksum(['b', 'a'], true, 'create table t();\n'));
    expect(legacyChecksum(['a', 'b'], false, 'create table t();')).not.toBe(legacyChecksum(['a', 'b'], true, 'create table t();'));
  });
});
