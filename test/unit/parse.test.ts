import { describe, expect, it } from 'vitest';
import { parseMigration } from '../../src/core/parse.js';

const enc = new TextEncoder();
const parse = (text: string, name = 'm') => parseMigration({ path: `db/${name}.sql`, name, bytes: enc.encode(text) });
const ok = (text: string) => {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.value!;
};
const problems = (text: string) =>
  parse(text).diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.severity}[${d.code}]`);

describe('parseMigration: header and sections', () => {
  it('reads requires, sections and their offsets', () => {
    const text = '-- requires: a, b\n-- Requires: c d\n-- Create users.\n\nCREATE TABLE u (id int);\n\n-- revert:\nDROP TABLE u;\n';
    const m = ok(text);
    expect(m.requires).toEqual([
      { name: 'a', line: 1, column: 14 }, { name: 'b', line: 1, column: 17 },
      { name: 'c', line: 2, column: 14 }, { name: 'd', line: 2, column: 16 },
    ]);
    // Blank lines after the header comments belong to the header.
    expect(m.deploy.sql).toBe('CREATE TABLE u (id int);\n\n');
    expect(text.slice(m.deploy.offset).startsWith('CREATE')).toBe(true);
    expect(m.revert!.sql).toBe('DROP TABLE u;\n');
    expect(text.slice(m.revert!.offset)).toBe('DROP TABLE u;\n');
    expect(m.transactional).toBe(true);
    expect(m.verify).toBeUndefined();
  });

  it('treats a file without a revert marker as irreversible, and an empty one as an explicit empty revert', () => {
    expect(ok('select 1').revert).toBeUndefined();
    expect(ok('select 1\n-- revert:\n').revert).toEqual({ sql: '', offset: 20, statements: [] });
  });

  it('reads the verify section between deploy and revert', () => {
    const m = ok('create table t();\n-- verify:\nselect 1/count(*) from pg_class;\n--   REVERT :  \ndrop table t;');
    expect(m.verify!.sql).toBe('select 1/count(*) from pg_class;\n');
    expect(m.revert!.sql).toBe('drop table t;');
  });

  it('reads transaction: off and allow', () => {
    const m = ok('-- transaction: OFF\n-- allow: drop-column, rename-column\ncreate index concurrently i on t (a);');
    expect(m.transactional).toBe(false);
    expect(m.allow).toEqual(['drop-column', 'rename-column']);
  });

  it('keeps ordinary keyed comments as comments', () => {
    const m = ok('-- Revert: https://example.com/runbook\n-- Note: keep it\n-- Also: fine\n-- revert: restore the index\nselect 1');
    expect(m.requires).toEqual([]);
    expect(m.revert).toBeUndefined();
  });

  it('ignores markers and directives inside comments, strings, identifiers and dollar quotes', () => {
    const m = ok([
      'select 1;', '/*', '-- revert:', '*/', "select '", '-- revert:', "';", 'select 1 as "', '-- revert:', '";',
      'do $$', '-- revert:', '-- requires: x', '$$;', "select E'\\'", '-- revert:', "';",
    ].join('\n'));
    expect(m.revert).toBeUndefined();
    expect(m.requires).toEqual([]);
  });

  it('strips a BOM and treats CRLF, lone CR and LF alike (same checksum)', () => {
    const lf = ok('-- requires: a\ncreate table t();\n-- revert:\ndrop table t;\n');
    const crlf = ok('\uFEFF-- requires: a\r\ncreate table t();\r\n-- revert:\r\ndrop table t;\r\n');
    const cr = ok('-- requires: a\rcreate table t();\r-- revert:\rdrop table t;\r');
    expect(crlf.checksum).toBe(lf.checksum);
    expect(cr.checksum).toBe(lf.checksum);
    expect(crlf.revert!.sql).toBe('drop table t;\n');
  });

  it('checksums the transaction directive and the deploy section\'s code only', () => {
    const base = ok('-- requires: a, b\ncreate table t();\n-- revert:\ndrop table t;');
    expect(ok('-- requires: b a\n-- a comment\ncreate table t();\n\n-- revert:\ndrop table t cascade;').checksum).toBe(base.checksum);
    expect(ok('-- requires: a\ncreate  table t ( ) ; -- why\n-- revert:\ndrop table t;').checksum).toBe(base.checksum);
    expect(ok('-- requires: a, b\ncreate table t2();\n-- revert:\ndrop table t;').checksum).not.toBe(base.checksum);
    expect(ok('-- requires: a, b\n-- transaction: off\ncreate table t();\n-- revert:\ndrop table t;').checksum).not.toBe(base.checksum);
  });

  it('keeps the checksum of a file stable across releases (histories store it)', () => {
    // sha256 of "transaction: on\n" + the deploy section's tokens, one space apart.
    expect(ok('-- requires: b, a\ncreate table t();\n-- revert:\ndrop table t;').checksum)
      .toBe('0f18f249c7dbd21e6ff19d39e7d0e07cf33e1054c204d0fdd0a1771cc4969b4e');
  });

  it('warns (does not fail) on an empty deploy section', () => {
    const r = parse('-- placeholder for a squashed migration\n-- revert:\n');
    expect(r.value).toBeDefined();
    expect(problems('-- placeholder\n')).toEqual(['2:1 warning[empty-deploy]']);
  });

  it('allows BEGIN ATOMIC bodies and COMMIT inside procedure bodies', () => {
    ok('create function f() returns int language sql begin atomic select 1; end;');
    ok("create procedure p() language plpgsql as $$ begin commit; end $$;");
  });

  it('allows transaction control in a transaction: off file', () => {
    ok('-- transaction: off\nbegin;\nselect 1;\ncommit;');
  });
});

describe('parseMigration: errors at their line and column', () => {
  const cases: [string, string, string[]][] = [
    ['misspelt directive', '-- require: a\nselect 1', ['1:4 error[misspelt-directive]']],
    ['misspelt transaction', '-- transactions: off\nselect 1', ['1:4 error[misspelt-directive]']],
    ['misspelt allow', '-- alow: drop-table\nselect 1', ['1:4 error[misspelt-directive]']],
    ['directive below header', 'select 1;\n-- requires: a\n', ['2:1 error[directive-below-header]']],
    ['second revert marker', 'a;\n-- revert:\nb;\n-- revert:\nc;', ['4:1 error[duplicate-marker]']],
    ['marker without colon', 'a;\n  -- Revert\nb;', ['2:3 error[marker-without-colon]']],
    ['verify after revert', 'a;\n-- revert:\nb;\n-- verify:\nc;', ['4:1 error[verify-after-revert]']],
    ['bad transaction value', '-- transaction: maybe\nselect 1', ['1:17 error[invalid-directive]']],
    ['BEGIN', 'create table t();\n  begin;\nselect 1', ['2:3 error[transaction-control]']],
    ['COMMIT AND CHAIN', 'select 1;\ncommit and chain;', ['2:1 error[transaction-control]']],
    ['ROLLBACK in revert', 'select 1;\n-- revert:\nrollback;', ['3:1 error[transaction-control]']],
    ['SAVEPOINT', 'select 1; savepoint s;', ['1:11 error[transaction-control]']],
    ['psql meta-command', 'select 1;\n\\i other.sql\n', ['2:1 error[psql-meta-command]']],
    ['unterminated string', "select 1;\nselect 'abc;\n", ['2:8 error[unterminated-string]']],
    ['unterminated comment', 'select /* x;\n', ['1:8 error[unterminated-comment]']],
    ['unterminated dollar quote', 'do $x$ begin end;\n', ['1:4 error[unterminated-dollar-quote]']],
    ['nul byte', 'select\u00001', ['1:7 error[nul-byte]']],
    ['several at once', '-- requries: a\nbegin;\n\\set x 1\n', [
      '1:4 error[misspelt-directive]', '2:1 error[transaction-control]', '3:1 error[psql-meta-command]']],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(problems(text).sort()).toEqual([...expected].sort());
  });

  it('counts columns in characters, after multibyte text', () => {
    // s,e,l,e,c,t,space = 7; then ' 😀 é ' , space -> the open quote of 'x is the 14th character.
    expect(problems("select '😀é', 'x\nselect 1")).toEqual(['1:14 error[unterminated-string]']);
  });

  it('reports invalid UTF-8 at its line and column', () => {
    const bytes = new Uint8Array([...enc.encode('select 1;\nselect \'é'), 0xff, 0x27]);
    const r = parseMigration({ path: 'x.sql', name: 'x', bytes });
    expect(r.diagnostics).toMatchObject([{ code: 'invalid-utf8', position: { line: 2, column: 10 } }]);
  });
});

describe('parseMigration: other tools\' markers are errors, never comments', () => {
  const errors = (text: string) => problems(text).filter((p) => p.includes('error'));
  const cases: [string, string, string[]][] = [
    ['dbmate', '-- migrate:up\ncreate table t();\n\n-- migrate:down\ndrop table t;\n',
      ['1:1 error[foreign-marker]', '4:1 error[foreign-marker]']],
    ['dbmate with options', '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n-- migrate:down transaction:false\ndrop index i;',
      ['1:1 error[foreign-marker]', '3:1 error[foreign-marker]']],
    ['goose', '-- +goose Up\n-- +goose StatementBegin\ncreate table t();\n-- +goose StatementEnd\n\n-- +goose Down\ndrop table t;',
      ['1:1 error[foreign-marker]', '2:1 error[foreign-marker]', '4:1 error[foreign-marker]', '6:1 error[foreign-marker]']],
    ['goose without a transaction', '-- +goose NO TRANSACTION\n-- +goose Up\ncreate index concurrently i on t (a);',
      ['1:1 error[foreign-marker]', '2:1 error[foreign-marker]']],
    ['sql-migrate', '-- +migrate Up notransaction\ncreate table t();\n  -- +MIGRATE   down\ndrop table t;',
      ['1:1 error[foreign-marker]', '3:3 error[foreign-marker]']],
    ['sql-migrate statements', 'select 1;\n-- +migrate StatementBegin\ncreate function f() returns int as $$ select 1 $$ language sql;\n-- +migrate StatementEnd',
      ['2:1 error[foreign-marker]', '4:1 error[foreign-marker]']],
    ['beside a real revert marker', 'create table t();\n-- revert:\n-- migrate:down\ndrop table t;', ['3:1 error[foreign-marker]']],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('names the tool and tells how to convert the file', () => {
    const [d] = parse('create table t();\n-- +goose Down\ndrop table t;').diagnostics;
    expect(d.message).toBe('"-- +goose Down" is a goose marker: sqlmig would read it as a comment and run the down SQL during up');
    expect(d.hint).toBe('this is a goose file: convert its folder with "sqlmig import --from goose FOLDER"; by hand, '
      + 'in sqlmig\'s format (up SQL first, then a line "-- revert:", then the down SQL), '
      + 'replace this line with "-- revert:"');
  });

  it('ignores markers at the end of a line and inside strings, block comments and dollar quotes', () => {
    ok("select 1; -- migrate:down\nselect '\n-- +goose Down\n';\n/*\n-- +migrate Down\n*/\ndo $$\n-- migrate:down\n$$;");
  });
});

describe('parseMigration: lines that look like directives or markers but are not', () => {
  const errors = (text: string) => problems(text).filter((p) => p.includes('error'));
  const cases: [string, string, string[]][] = [
    ['revert with text below the header', 'create table t();\n-- revert: drop table t;\ndrop table t;', ['2:1 error[revert-marker-with-text]']],
    ['Revert with text in the revert section', 'create table t();\n-- revert:\n  -- Revert: the table\ndrop table t;', ['3:3 error[revert-marker-with-text]']],
    ['verify with text below the header', 'create table t();\n-- VERIFY : select 1\nselect 1;', ['2:1 error[revert-marker-with-text]']],
    ['revert with text in the header', '-- Revert: https://example.com/runbook\n-- revert: restore the index\n-- verify: by hand\nselect 1', []],
    ['requires without colon', '-- requires a, b\nselect 1', ['1:4 error[directive-without-colon]']],
    ['Requires without colon, names with paths', '--Requires app/users core.v2\nselect 1', ['1:3 error[directive-without-colon]']],
    ['requires prose made of words', '-- Requires careful review\nselect 1', ['1:4 error[directive-without-colon]']],
    ['transaction off without colon', '-- transaction off\ncreate index concurrently i on t (a);', ['1:4 error[directive-without-colon]']],
    ['Transaction ON without colon', '-- Transaction ON\nselect 1', ['1:4 error[directive-without-colon]']],
    ['allow without colon', '-- allow drop-column, rename-column\nselect 1', ['1:4 error[directive-without-colon]']],
    ['requires prose with punctuation', '-- Requires PostgreSQL 14+\n-- requires a lock (see below)\n-- requires: a\nselect 1', []],
    ['transaction prose', '-- Transaction off because of CONCURRENTLY\n-- transaction mode matters here\nselect 1', []],
    ['allow prose', '-- Allow time for the backfill\n-- allow drop-column later\nselect 1', []],
    ['colonless directive below the header', 'select 1;\n-- requires a\n-- transaction off\n-- allow truncate\n', []],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('shows the line with its colon in the hint', () => {
    const [d] = parse('-- requires a, b\nselect 1').diagnostics;
    expect(d.message).toBe('missing colon after "requires"');
    expect(d.hint).toMatch(/^write "-- requires: a, b"; without the colon/);
  });

  it('says a marker takes nothing after the colon', () => {
    const [d] = parse('select 1;\n-- Revert: drop table t;\n').diagnostics;
    expect(d.message).toBe('a "-- revert:" marker takes nothing after the colon');
  });
});

describe('parseMigration: standard_conforming_strings', () => {
  const errors = (text: string) => problems(text).filter((p) => p.includes('error'));
  const cases: [string, string, string[]][] = [
    // The server would read 'it\'s' as one string; sqlmig, with the setting on, reads an unterminated one.
    ['= off', "set standard_conforming_strings = off;\nselect 'it\\'s';", ['1:1 error[standard-strings-off]', '2:14 error[unterminated-string]']],
    ['TO off', 'select 1;\n  SET standard_conforming_strings TO OFF;', ['2:3 error[standard-strings-off]']],
    ["= 'off'", "SET standard_conforming_strings = 'off'", ['1:1 error[standard-strings-off]']],
    ['SESSION, false', 'set session standard_conforming_strings to false;', ['1:1 error[standard-strings-off]']],
    ['LOCAL, 0', 'set local standard_conforming_strings = 0;', ['1:1 error[standard-strings-off]']],
    ['with comments between', 'set /* x */ standard_conforming_strings -- y\n = off;', ['1:1 error[standard-strings-off]']],
    ['in the revert section', 'select 1;\n-- revert:\nset standard_conforming_strings = off;', ['3:1 error[standard-strings-off]']],
    ['in a transaction: off file', '-- transaction: off\nset standard_conforming_strings = off;', ['2:1 error[standard-strings-off]']],
    ['= on', 'set standard_conforming_strings = on;\nset standard_conforming_strings to default;', []],
    ['other settings', 'set escape_string_warning = off;\nset local standard_conforming_strings_x = off;', []],
    ['in strings and comments', "select 'set standard_conforming_strings = off';\n-- set standard_conforming_strings = off\n"
      + '/* set standard_conforming_strings = off; */ select $$ set standard_conforming_strings = off; $$;', []],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(errors(text).sort()).toEqual([...expected].sort());
  });

  it('explains why and how to write such strings', () => {
    const [d] = parse('set standard_conforming_strings = off;').diagnostics;
    expect(d.message).toContain("sqlmig reads the whole file with the setting on, so a string such as 'it\\'s'");
    expect(d.hint).toBe("keep the setting on, and write E'it\\'s' (backslash escapes) or 'it''s' (a doubled quote)");
  });
});

describe('parseMigration: repeatable files and variables', () => {
  it('reads repeatable: yes (any case) and no', () => {
    expect(ok('-- Repeatable: YES\ncreate or replace view v as select 1;').repeatable).toBe(true);
    expect(ok('-- repeatable: no\nselect 1').repeatable).toBe(false);
    expect(ok('select 1').repeatable).toBe(false);
  });

  it('reads the declared variables with their positions, once each', () => {
    const m = ok('-- vars: app_schema, reader_role app_schema\ncreate schema :"app_schema";\ngrant usage on schema :"app_schema" to :reader_role;');
    expect(m.vars).toEqual([{ name: 'app_schema', line: 1, column: 10 }, { name: 'reader_role', line: 1, column: 22 }]);
    expect(ok('select 1').vars).toEqual([]);
  });

  it('checksums the file as written: the names of the variables the deploy section uses, never values', () => {
    const declared = ok('-- vars: n\nselect a[1:n] from t;');
    const undeclared = ok('select a[1:n] from t;');
    // Declaring n turns `:n` into a value: what runs changes.
    expect(declared.checksum).not.toBe(undeclared.checksum);
    // A variable used only in the revert section, or declared and unused, changes nothing that runs.
    expect(ok('-- vars: n\nselect a[1:x] from t;\n-- revert:\nselect :n;').checksum).toBe(ok('select a[1:x] from t;').checksum);
    expect(ok('-- vars: x, n\nselect a[1:n] from t;').checksum).toBe(declared.checksum);
  });

  const cases: [string, string, string[]][] = [
    ['a repeatable value other than yes or no', '-- repeatable: always\nselect 1', ['1:16 error[invalid-directive]']],
    ['repeatable with transaction: off', '-- repeatable: yes\n-- transaction: off\nselect 1', ['1:16 error[repeatable-without-transaction]']],
    ['misspelt repeatable', '-- repeatible: yes\nselect 1', ['1:4 error[misspelt-directive]']],
    ['misspelt vars', '-- var: a\nselect :a', ['1:4 error[misspelt-directive]']],
    ['repeatable without colon', '-- repeatable yes\nselect 1', ['1:4 error[directive-without-colon]']],
    ['vars without colon', '-- vars app_schema\nselect 1', ['1:4 error[directive-without-colon]']],
    ['a variable name starting with a digit', '-- vars: 1st, ok\nselect :ok', ['1:10 error[invalid-variable-name]']],
    ['a variable name with a dash', '-- vars: app-schema\nselect 1', ['1:10 error[invalid-variable-name]']],
    ['vars below the header', 'select 1;\n-- vars: a\n', ['2:1 error[directive-below-header]']],
    ['a declared variable no section uses', '-- vars: a, b\nselect :a, \':b\' /* :b */;', ['1:13 warning[unused-variable]']],
    ['a variable used in the revert section only', '-- vars: a\nselect 1;\n-- revert:\nselect :"a";', []],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});
