// verify's classes: which differences between the schema before a deploy and after its revert are cosmetic, which breaking.
import { describe, expect, it } from 'vitest';
import { classifyDifference, type ClassifiedDifference } from '../../src/core/difference-class.js';
import { MYSQL, POSTGRES, SQLITE, type Dialect } from '../../src/core/dialect.js';
import { renderDifferences } from '../../src/core/render/differences.js';
import { diffSnapshots, fieldsOf, type SnapshotFields } from '../../src/core/snapshot.js';

const BODY = `
DECLARE
  n integer := 0;
BEGIN
  -- count the rows
  SELECT count(*) INTO n FROM app.users WHERE note = 'a  b';
  RETURN n;
END;
`;

/** One object, before and after: its class and how each field changed. */
function classify(object: string, before: SnapshotFields, after: SnapshotFields, dialect: Dialect = POSTGRES): ClassifiedDifference {
  const [d] = diffSnapshots(new Map([[object, before]]), new Map([[object, after]]));
  return classifyDifference(d, dialect);
}

const column = { position: '2', type: 'text', not_null: 'false' };
const fn = { arguments: '', returns: 'integer', language: 'plpgsql', volatility: 'v', body: BODY };

describe('classifyDifference', () => {
  it.each<[string, string, SnapshotFields, SnapshotFields, 'breaking' | 'cosmetic', string[]]>([
    ['column order only', 'column app.users.email', column, { ...column, position: '3' }, 'cosmetic', ['position:column-order']],
    ['a comment only', 'table app.users', { kind: 'r', comment: 'people' }, { kind: 'r' }, 'cosmetic', ['comment:comment']],
    ['whitespace in a body', 'function app.f()', fn, { ...fn, body: BODY.replace(/\n {2}/g, '\n      ').replace('n integer', 'n   integer') },
      'cosmetic', ['body:formatting']],
    ['a comment inside a body', 'function app.f()', fn, { ...fn, body: BODY.replace('-- count the rows', '/* count\n     them */') },
      'cosmetic', ['body:formatting']],
    ['a comment added at the end of a body line', 'function app.f()', fn, { ...fn, body: BODY.replace('RETURN n;', 'RETURN n; -- the count') },
      'cosmetic', ['body:formatting']],
    ['whitespace inside a string literal in a body', 'function app.f()', fn, { ...fn, body: BODY.replace("'a  b'", "'a b'") },
      'breaking', ['body:changed']],
    ['a changed body', 'function app.f()', fn, { ...fn, body: BODY.replace('RETURN n;', 'RETURN n + 1;') }, 'breaking', ['body:changed']],
    ['a changed signature, same body', 'function app.f()', fn, { ...fn, returns: 'bigint' }, 'breaking', ['returns:changed']],
    ['a changed default', 'column app.users.email', column, { ...column, default: "''::text" }, 'breaking', ['default:changed']],
    ['a changed type', 'column app.users.email', column, { ...column, type: 'character varying(80)' }, 'breaking', ['type:changed']],
    ['a lost RLS flag', 'table app.users', { kind: 'r', rls: 'true' }, { kind: 'r', rls: 'false' }, 'breaking', ['rls:changed']],
    ['column order and a type', 'column app.users.email', column, { ...column, position: '3', type: 'integer' }, 'breaking',
      ['position:column-order', 'type:changed']],
    ['comment and formatting together', 'function app.f()', { ...fn, comment: 'x' }, { ...fn, body: `${BODY}\n\n` }, 'cosmetic',
      ['body:formatting', 'comment:comment']],
  ])('%s', (_, object, before, after, expected, fields) => {
    const d = classify(object, before, after);
    expect(d.class).toBe(expected);
    expect(d.fields!.map((f) => `${f.field}:${f.kind}`).sort()).toEqual([...fields].sort());
  });

  it('an object left over or missing is breaking', () => {
    const differences = diffSnapshots(new Map([['index app.a', { definition: 'x' }]]), new Map([['index app.b', { definition: 'y' }]]))
      .map((d) => classifyDifference(d, POSTGRES));
    expect(differences.map((d) => `${d.object} ${d.change} ${d.class}`)).toEqual(['index app.a missing breaking', 'index app.b still present breaking']);
  });

  it('reads a body with its engine\'s comments: # is a comment in MySQL, not in PostgreSQL', () => {
    const body = { body: 'BEGIN\n  SELECT 1;\nEND' };
    const withHash = { body: 'BEGIN\n  SELECT 1; # one\nEND' };
    expect(classify('procedure p', body, withHash, MYSQL).class).toBe('cosmetic');
    expect(classify('function p()', body, withHash, POSTGRES).class).toBe('breaking');
  });

  it('a table kept as text (SQLite) with a column moved to the end: column order', () => {
    const before = { definition: 'create table ( id integer primary key , email text , name text , unique ( email ) )' };
    const after = { definition: 'create table ( id integer primary key , name text , unique ( email ) , email text )' };
    expect(classify('table main.users', before, after, SQLITE).fields).toEqual([{ field: 'definition', kind: 'column-order' }]);
    const other = { definition: 'create table ( id integer primary key , name text , unique ( email ) , email integer )' };
    expect(classify('table main.users', before, other, SQLITE).class).toBe('breaking');
  });
});

describe('renderDifferences', () => {
  const before = new Map<string, SnapshotFields>([
    ['column app.users.id', { position: '1', type: 'integer' }],
    ['column app.users.email', { position: '2', type: 'text' }],
    ['column app.users.name', { position: '3', type: 'text' }],
    ['function app.f()', fn],
    ['table app.users', { kind: 'r', rls: 'true', comment: 'people' }],
  ]);
  const after = new Map<string, SnapshotFields>([
    ['column app.users.id', { position: '1', type: 'integer' }],
    ['column app.users.email', { position: '3', type: 'text' }],
    ['column app.users.name', { position: '2', type: 'text' }],
    ['function app.f()', { ...fn, body: BODY.replace('RETURN n;', 'RETURN n + 1;') }],
    ['table app.users', { kind: 'r', rls: 'false', comment: 'persons' }],
  ]);
  const lines = renderDifferences(diffSnapshots(before, after).map((d) => classifyDifference(d, POSTGRES)));

  it('breaking first, a changed body as a unified diff with three lines of context, then one note per table for column order', () => {
    expect(lines).toEqual([
      'function app.f(): changed after revert (body differs)',
      'body:',
      '  @@ -4,6 +4,6 @@',
      '   BEGIN',
      '     -- count the rows',
      "     SELECT count(*) INTO n FROM app.users WHERE note = 'a  b';",
      '  -  RETURN n;',
      '  +  RETURN n + 1;',
      '   END;',
      '   ',
      'table app.users: changed after revert (was rls=true | comment=people; now rls=false | comment=persons)',
      'note: table app.users: column order only (email 2 -> 3, name 3 -> 2); affects SELECT *, INSERT without a column list and COPY without a column list',
    ]);
  });
});

describe('fieldsOf (descriptions an engine writes as text)', () => {
  it.each([
    ['position=2 | type=int | default=none', { position: '2', type: 'int', default: 'none' }],
    ['returns=int | body=BEGIN RETURN a | b; END', { returns: 'int', body: 'BEGIN RETURN a | b; END' }],
    ['select `a` from `t`', { definition: 'select `a` from `t`' }],
    ['on delete=CASCADE | on update=NO ACTION', { 'on delete': 'CASCADE', 'on update': 'NO ACTION' }],
  ])('%s', (text, fields) => expect(fieldsOf(text)).toEqual(fields));
});
