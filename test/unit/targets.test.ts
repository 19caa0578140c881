import { describe, expect, it } from 'vitest';
import { parseJsonSource } from '../../src/core/json-source.js';
import { databaseKeyOf } from '../../src/drivers/identity.js';
import { checkTargets, parseTargetsFile, targetEntriesOfRows, type TargetEntry } from '../../src/fleet/targets.js';

const PG = 'postgres://app@db:5432/app';

/** `line:col code` of each diagnostic, in order. */
function where(diagnostics: { code: string; position?: { line: number; column: number } }[]): string[] {
  return diagnostics.map((d) => `${d.position ? `${d.position.line}:${d.position.column} ` : ''}${d.code}`);
}

describe('parseJsonSource', () => {
  const same: string[] = ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}', '\ufeff {"k": {"n": {}}} ', '"\ud83d\ude00"'];
  it.each(same)('reads %j as JSON.parse does', (text) => {
    const parsed = parseJsonSource(text);
    expect('value' in parsed).toBe(true);
    const plain = (node: any): unknown => node.kind === 'object' ? Object.fromEntries(node.entries.map((e: any) => [e.key, plain(e.value)]))
      : node.kind === 'array' ? node.items.map(plain) : node.kind === 'null' ? null : node.value;
    expect(plain((parsed as { value: unknown }).value)).toEqual(JSON.parse(text.replace(/^\ufeff/, '')));
  });

  const errors: [string, number, RegExp][] = [
    ['{"a": 1,}', 8, /trailing comma/],
    ['[1, 2,]', 6, /trailing comma/],
    ["{'a': 1}", 1, /double quotes expected/],
    ['{"a" 1}', 5, /":" expected/],
    ['{"a": 1 "b": 2}', 8, /"," or "}"/],
    ['{"a": "x\ny"}', 8, /control character/],
    ['{"a": "x', 6, /never ends/],
    ['{"a": "\\q"}', 6, /invalid escape/],
    ['{"a": tru}', 6, /unexpected "t"/],
    ['{"a": -}', 6, /digits after "-"/],
    ['{"a": 1} x', 9, /after the JSON value/],
    ['', 0, /ends where a value should be/],
  ];
  it.each(errors)('%j fails at offset %i', (text, offset, message) => {
    const parsed = parseJsonSource(text);
    expect(parsed).toMatchObject({ error: { offset } });
    expect((parsed as { error: { message: string } }).error.message).toMatch(message);
  });
});

describe('parseTargetsFile', () => {
  it('reads targets with their positions', () => {
    const text = '{"targets": [\n  {"name": "eu-1", "db": "postgres://a"},\n  {"name": "t42", "db": "postgres://b", "searchPath": "t42", "schema": "h"}\n]}\n';
    const { value, diagnostics } = parseTargetsFile(text, 'targets.json');
    expect(diagnostics).toEqual([]);
    expect(value).toEqual([
      { name: 'eu-1', db: 'postgres://a', label: 'target 1', position: { path: 'targets.json', line: 2, column: 3 } },
      { name: 't42', db: 'postgres://b', searchPath: 't42', schema: 'h', label: 'target 2', position: { path: 'targets.json', line: 3, column: 3 } },
    ]);
  });

  const cases: [string, string, string[]][] = [
    ['a syntax error at its line and column', '{"targets": [\n  {"name": "a", "db": "x",}\n]}', ['2:27 targets-syntax']],
    ['not the expected shape', '[{"name": "a"}]', ['1:1 targets-shape']],
    ['"targets" not an array', '{"targets": {"name": "a"}}', ['1:13 targets-shape']],
    ['an unknown top-level key', '{"targets": [], "parallel": 4}', ['1:17 targets-key']],
    ['a target that is not an object', '{"targets": ["a"]}', ['1:14 targets-shape']],
    ['search_path, a misspelt key', '{"targets": [{"name": "a", "db": "x", "search_path": "t"}]}', ['1:39 targets-key']],
    ['a key given twice', '{"targets": [{"name": "a", "name": "b"}]}', ['1:28 targets-key']],
    ['a value of the wrong type', '{"targets": [{"name": 1, "db": null}]}', ['1:23 targets-type', '1:32 targets-type']],
  ];
  it.each(cases)('reports %s', (_what, text, expected) => {
    expect(where(parseTargetsFile(text, 't.json').diagnostics)).toEqual(expected);
  });

  it('hints the right key for a misspelt one', () => {
    const [d] = parseTargetsFile('{"targets": [{"name": "a", "dbb": "x", "search_path": "t"}]}', 't.json').diagnostics;
    expect(d.hint).toBe('did you mean "db"?');
    const [, e] = parseTargetsFile('{"targets": [{"name": "a", "dbb": "x", "search_path": "t"}]}', 't.json').diagnostics;
    expect(e.hint).toBe('did you mean "searchPath"?');
  });
});

describe('checkTargets', () => {
  const at = (line: number) => ({ path: 't.json', line, column: 3 });
  const entry = (line: number, fields: Omit<TargetEntry, 'label' | 'position'>): TargetEntry => ({ label: `target ${line}`, position: at(line), ...fields });

  it('accepts databases and tenant schemas of one dialect, each with its own history', () => {
    const { value, diagnostics } = checkTargets([
      entry(1, { name: 'eu-1', db: PG }),
      entry(2, { name: 't1', db: PG, searchPath: 't1' }),
      entry(3, { name: 't2', db: PG, searchPath: 't2, public' }),
      entry(4, { name: 'other-history', db: PG, schema: 'audit' }),
      entry(5, { name: 'embedded', db: 'pglite:data/one' }),
      entry(6, { name: 'in-memory-1', db: 'pglite:memory' }),
      entry(7, { name: 'in-memory-2', db: 'pglite:memory' }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(value.dialect?.name).toBe('postgres');
    expect(value.targets.map((t) => t.name)).toEqual(['eu-1', 't1', 't2', 'other-history', 'embedded', 'in-memory-1', 'in-memory-2']);
  });

  const cases: [string, TargetEntry[], string[]][] = [
    ['an empty list', [], ['targets-empty']],
    ['duplicate names (once, not again as a shared history)', [entry(1, { name: 'a', db: PG }), entry(2, { name: 'a', db: `${PG}2` })], ['2:3 targets-duplicate']],
    ['a target without a name', [entry(1, { db: PG })], ['1:3 targets-name']],
    ['a target without a database, and no default', [entry(1, { name: 'a' })], ['1:3 targets-db']],
    ['an unknown scheme', [entry(1, { name: 'a', db: 'oracle://x/y' })], ['1:3 targets-db']],
    ['two dialects', [entry(1, { name: 'a', db: PG }), entry(2, { name: 'b', db: 'sqlite:b.db' })], ['2:3 targets-dialect']],
    ['a searchPath on SQLite', [entry(1, { name: 'a', db: 'sqlite:a.db', searchPath: 't' })], ['1:3 targets-search-path']],
    ['a searchPath on MySQL', [entry(1, { name: 'a', db: 'mysql://root@h/app', searchPath: 't' })], ['1:3 targets-search-path']],
    ['an empty schema in a searchPath', [entry(1, { name: 'a', db: PG, searchPath: 't1,' })], ['1:3 targets-search-path']],
    ['an empty history schema', [entry(1, { name: 'a', db: PG, schema: '' })], ['1:3 targets-schema']],
    ['one database twice', [entry(1, { name: 'a', db: PG }), entry(2, { name: 'b', db: 'postgresql://other:pw@DB/app' })], ['2:3 targets-shared-history']],
    ['a tenant whose history is another target\'s', [entry(1, { name: 'a', db: PG, searchPath: 't1' }), entry(2, { name: 'b', db: PG, schema: 'sqlmig_t1' })],
      ['2:3 targets-shared-history']],
    ['two tenants of one schema', [entry(1, { name: 'a', db: PG, searchPath: 't1' }), entry(2, { name: 'b', db: PG, searchPath: 't1, public' })],
      ['2:3 targets-shared-history']],
    ['one embedded folder twice', [entry(1, { name: 'a', db: 'pglite:data/x' }), entry(2, { name: 'b', db: 'pglite:./data/../data/x' })], ['2:3 targets-shared-history']],
  ];
  it.each(cases)('reports %s', (_what, entries, expected) => {
    expect(where(checkTargets(entries).diagnostics)).toEqual(expected);
  });

  it('gives targets without a database the default one, and never prints a password', () => {
    const { value, diagnostics } = checkTargets([entry(1, { name: 'a', searchPath: 'a' }), entry(2, { name: 'b', searchPath: 'a' })], 'postgres://u:s3cret@h/app');
    expect(value.targets[0]).toEqual({ name: 'a', db: 'postgres://u:s3cret@h/app', searchPath: 'a' });
    expect(diagnostics[0].message).toContain('postgres://u:***@h/app');
    expect(JSON.stringify(diagnostics)).not.toContain('s3cret');
  });
});

describe('targetEntriesOfRows', () => {
  it('reads name, db, search_path and schema; null is absent', () => {
    const { value, diagnostics } = targetEntriesOfRows(['name', 'db', 'search_path', 'schema'], [
      { name: 'a', db: PG, search_path: null, schema: null },
      { name: 'b', db: null, search_path: 'tenant_b', schema: 'h_b' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(value).toEqual([
      { label: 'row 1 of the targets query', name: 'a', db: PG },
      { label: 'row 2 of the targets query', name: 'b', searchPath: 'tenant_b', schema: 'h_b' },
    ]);
  });

  it('refuses a missing name column and a column it does not know (PostgreSQL folds searchPath to searchpath)', () => {
    const { diagnostics } = targetEntriesOfRows(['searchpath'], [{ searchpath: 't' }]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'the targets query returned a column "searchpath", which sqlmig does not know',
      'the targets query returned no "name" column',
    ]);
    expect(diagnostics[0].hint).toMatch(/did you mean "search_path"/);
  });
});

describe('databaseKeyOf', () => {
  const cases: [string, string | undefined][] = [
    ['postgres://u:pw@DB/app', 'postgres://db:5432/app'],
    ['postgresql://other@db:5432/app?sslmode=require', 'postgres://db:5432/app'],
    ['mariadb://root@h/app', 'mysql://h:3306/app'],
    ['pglite:memory', undefined],
    ['sqlite::memory:', undefined],
  ];
  it.each(cases)('%s', (url, key) => expect(databaseKeyOf(url)).toBe(key));
});
