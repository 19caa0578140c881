import { describe, expect, it } from 'vitest';
import { orderObjects, renderDump } from '../../src/core/dump.js';
import { aclStatements, parseAclItem } from '../../src/drivers/pg-dump-acl.js';

describe('orderObjects', () => {
  it('puts what is required first, then the smallest key; a cycle follows in key order', () => {
    const nodes = new Map([['t1', '1 app.state'], ['c2', '6 app.orders'], ['p3', '5 app.total(app.orders)'], ['c4', '7 app.view'], ['x', '9 a'], ['y', '9 b']]);
    const edges = [
      { dependent: 'p3', required: 'c2' }, { dependent: 'c2', required: 't1' }, { dependent: 'c4', required: 'p3' },
      { dependent: 'x', required: 'y' }, { dependent: 'y', required: 'x' }, { dependent: 'c2', required: 'unknown' },
    ];
    expect(orderObjects(nodes, edges)).toEqual(['t1', 'c2', 'p3', 'c4', 'x', 'y']);
    expect(orderObjects(nodes, [...edges].reverse())).toEqual(['t1', 'c2', 'p3', 'c4', 'x', 'y']);
  });
});

describe('renderDump', () => {
  it('says how to load it, then the statements, then the applied migrations', () => {
    expect(renderDump('CREATE TABLE t ();\n', ['a', 'b/c'], 'sqlmig')).toBe([
      '-- Schema dumped by sqlmig from the database catalog: load it into an empty database.',
      "-- Left out: sqlmig's history (sqlmig), owners, and the data.", '', 'CREATE TABLE t ();', '',
      '-- Applied migrations, in order of application:', '--   a', '--   b/c', '',
    ].join('\n'));
    expect(renderDump('', [], 'sqlmig')).toMatch(/and the data\.\n\n-- Applied migrations: none\.\n$/);
  });
});

describe('aclStatements', () => {
  it('reads aclitem text: PUBLIC, quoted names, grant options', () => {
    expect(parseAclItem('=X/app')).toEqual({ grantee: 'PUBLIC', privileges: ['EXECUTE'], grantable: [] });
    expect(parseAclItem('"Read ""Only"""=r*w/app')).toEqual({ grantee: '"Read ""Only"""', privileges: ['UPDATE'], grantable: ['SELECT'] });
  });

  it('rebuilds an ACL in its own order, the owner written CURRENT_USER; a default (NULL) ACL writes nothing', () => {
    expect(aclStatements('TABLE', 'app.t', ['app=arwdDxt/app', 'reader=r/app'], 'app')).toEqual([
      'REVOKE ALL ON TABLE app.t FROM PUBLIC;', 'REVOKE ALL ON TABLE app.t FROM CURRENT_USER;',
      'GRANT INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE app.t TO CURRENT_USER;',
      'GRANT SELECT ON TABLE app.t TO reader;',
    ]);
    expect(aclStatements('TABLE', 'app.t', ['reader=rw/app'], 'app', 'email')).toEqual(['GRANT SELECT (email), UPDATE (email) ON TABLE app.t TO reader;']);
    expect(aclStatements('FUNCTION', 'app.f()', null, 'app')).toEqual([]);
  });
});
