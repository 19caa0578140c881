// MySQL and MariaDB URLs -> mysql2's connection options: defaults, IPv6, escapes, and the URLs refused before connecting.
import { describe, expect, it } from 'vitest';
import { mysqlTarget } from '../../src/drivers/mysql.js';
import { UsageError } from '../../src/errors.js';

describe('mysqlTarget', () => {
  it.each([
    ['mysql://app:s%40cret@db.example:3307/shop', { host: 'db.example', port: 3307, user: 'app', password: 's@cret', database: 'shop' },
      'mysql://app@db.example:3307/shop'],
    ['mariadb://db/shop', { host: 'db', port: 3306, user: 'root', password: undefined, database: 'shop' }, 'mariadb://root@db:3306/shop'],
    ['MySQL:///my%20db', { host: '127.0.0.1', port: 3306, user: 'root', database: 'my db' }, 'mysql://root@127.0.0.1:3306/my db'],
    ['mysql://u@[::1]:3306/app', { host: '::1', port: 3306, user: 'u', database: 'app' }, 'mysql://u@[::1]:3306/app'],
  ])('%s', (url, options, display) => {
    const target = mysqlTarget(url);
    expect(target.options).toMatchObject(options);
    expect(target.display).toBe(display);
  });

  it.each([
    ['mysql://u:secret@db:3306', 'the URL mysql://u:***@db:3306 names no database'],
    ['mysql://u:secret@db/', 'the URL mysql://u:***@db/ names no database'],
    ['mysql://u:secret@db/app?ssl=true&charset=x', 'the URL mysql://u:***@db/app?ssl=true&charset=x has parameters (ssl, charset), which sqlmig does not read for MySQL'],
    ['mysql://u:se%ZZcret@db/app', 'invalid database URL mysql://u:***@db/app'],
    ['mysql://u:secret@[::1/app', 'invalid database URL mysql://u:***@[::1/app'],
  ])('refuses %s before connecting', (url, message) => {
    let error: unknown;
    try { mysqlTarget(url); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(message);
    expect((error as UsageError).message).not.toContain('secret');
  });
});
