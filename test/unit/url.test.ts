import { describe, expect, it } from 'vitest';
import { passwordsOf, redactUrl, schemeOf, scrub } from '../../src/drivers/url.js';

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['postgres://app:secret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['postgres://db:5432/app', 'postgres://db:5432/app'],
    ['postgresql://u:p#%/@:?x@host/db?sslmode=require', 'postgresql://u:***@host/db?sslmode=require'],
    ['postgres://u:p%23%25%2F%40@host/db', 'postgres://u:***@host/db'],
    ['postgres://u:secret@', 'postgres://u:***@'],
    ['postgres://u:sec ret@h:notaport/db', 'postgres://u:***@h:notaport/db'],
    ['postgres://u:secret/db', 'postgres://u:***/db'],
    ['postgres://h/db?user=u&password=secret&x=1', 'postgres://h/db?user=u&password=***&x=1'],
    ['pglite:.sqlmig/pglite', 'pglite:.sqlmig/pglite'],
  ];
  it.each(cases)('%s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});

describe('passwordsOf and scrub', () => {
  it('finds raw and percent-decoded passwords and scrubs both', () => {
    const url = 'postgres://u:p%23%25%2F%40x@host/db';
    expect(passwordsOf(url)).toEqual(['p%23%25%2F%40x', 'p#%/@x']);
    expect(scrub('failed for p#%/@x and p%23%25%2F%40x', passwordsOf(url))).toBe('failed for *** and ***');
  });
  it('knows schemes', () => {
    expect(schemeOf('PostgreSQL://x')).toBe('postgresql');
    expect(schemeOf('pglite:memory')).toBe('pglite');
    expect(schemeOf('/just/a/path')).toBeUndefined();
  });
});
