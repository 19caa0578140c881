import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlsPlanOf } from '../../src/drivers/pg-ssl.js';
import { tempDir } from '../helpers/tmp.js';

const BASE = 'postgres://u:p%3Fw@db.example:5432/app';

describe('tlsPlanOf', () => {
  const home = tempDir();
  const ca = join(home, 'ca.pem');
  writeFileSync(ca, 'CA PEM');

  it('leaves a URL without libpq TLS settings to node-postgres, untouched', () => {
    expect(tlsPlanOf(`${BASE}?ssl=true&application_name=x`, {}, home)).toEqual({ connectionString: `${BASE}?ssl=true&application_name=x` });
  });

  const cases: [string, string, NodeJS.ProcessEnv, { mode: string; ssl: unknown; fallback?: unknown }][] = [
    ['disable', 'sslmode=disable', {}, { mode: 'disable', ssl: false }],
    ['require', 'sslmode=require', {}, { mode: 'require', ssl: { rejectUnauthorized: false } }],
    ['no-verify, node-postgres\'s spelling', 'sslmode=no-verify', {}, { mode: 'require', ssl: { rejectUnauthorized: false } }],
    ['PGSSLMODE', '', { PGSSLMODE: 'require' }, { mode: 'require', ssl: { rejectUnauthorized: false } }],
    ['the URL beats PGSSLMODE', 'sslmode=disable', { PGSSLMODE: 'require' }, { mode: 'disable', ssl: false }],
    ['prefer: TLS without verifying, then none', 'sslmode=prefer', {}, { mode: 'prefer', ssl: { rejectUnauthorized: false }, fallback: { ssl: false } }],
    ['allow: none, then TLS', 'sslmode=allow', {}, { mode: 'allow', ssl: false, fallback: { ssl: { rejectUnauthorized: false } } }],
    ['a root certificate alone means prefer', `sslrootcert=${ca}`, {}, { mode: 'prefer', ssl: { ca: 'CA PEM' }, fallback: { ssl: false } }],
    ['require with a root certificate checks the chain', 'sslmode=require', { PGSSLROOTCERT: ca }, { mode: 'require', ssl: { ca: 'CA PEM' } }],
    ['verify-ca', `sslmode=verify-ca&sslrootcert=${ca}`, {}, { mode: 'verify-ca', ssl: { ca: 'CA PEM' } }],
    ['verify-full', `sslmode=verify-full&sslrootcert=${ca}`, {}, { mode: 'verify-full', ssl: { ca: 'CA PEM' } }],
    ['verify-full without a root: the CAs Node.js trusts', 'sslmode=verify-full', {}, { mode: 'verify-full', ssl: {} }],
    ['sslrootcert=system means verify-full', 'sslrootcert=system', {}, { mode: 'verify-full', ssl: {} }],
  ];
  it.each(cases)('%s', (_, query, env, expected) => {
    const plan = tlsPlanOf(`${BASE}?application_name=x${query ? `&${query}` : ''}&options=-c%20a%3Db`, env, home);
    expect(plan.connectionString).toBe(`${BASE}?application_name=x&options=-c%20a%3Db`);
    expect(plan.mode).toBe(expected.mode);
    expect(plan.ssl).toMatchObject(expected.ssl as object);
    if (expected.ssl === false) expect(plan.ssl).toBe(false);
    if (expected.fallback) expect(plan.fallback).toMatchObject(expected.fallback as object);
    else expect(plan.fallback).toBeUndefined();
    // Only the verify-full modes check the name; every other mode that verifies checks the chain only.
    const ssl = plan.ssl as { checkServerIdentity?: unknown; ca?: unknown };
    if (ssl && ssl.ca !== undefined) expect(ssl.checkServerIdentity === undefined).toBe(expected.mode === 'verify-full');
  });

  it('reads ~/.postgresql/root.crt and the client certificate as libpq does', () => {
    const user = tempDir();
    mkdirSync(join(user, '.postgresql'));
    writeFileSync(join(user, '.postgresql', 'root.crt'), 'ROOT');
    writeFileSync(join(user, '.postgresql', 'postgresql.crt'), 'CERT');
    writeFileSync(join(user, '.postgresql', 'postgresql.key'), 'KEY');
    expect(tlsPlanOf(`${BASE}?sslmode=verify-ca`, {}, user).ssl).toMatchObject({ ca: 'ROOT', cert: 'CERT', key: 'KEY' });
  });

  it('rejects an unknown sslmode, a weaker mode with the system CAs, verify-ca without a CA and unreadable files', () => {
    expect(() => tlsPlanOf(`${BASE}?sslmode=required`, {}, home)).toThrow('unknown sslmode "required" (from the database URL)');
    expect(() => tlsPlanOf(BASE, { PGSSLMODE: 'on' }, home)).toThrow('unknown sslmode "on" (from PGSSLMODE)');
    expect(() => tlsPlanOf(`${BASE}?sslmode=require&sslrootcert=system`, {}, home)).toThrow('sslrootcert=system needs sslmode=verify-full');
    expect(() => tlsPlanOf(`${BASE}?sslmode=verify-ca`, {}, home)).toThrow('sslmode=verify-ca needs the certificate of the CA');
    expect(() => tlsPlanOf(`${BASE}?sslmode=require&sslcert=/no/such.crt`, {}, home)).toThrow('cannot read sslcert /no/such.crt (from the database URL): ENOENT');
  });

  it('finds the query after the password, which may hold "?" and "@"', () => {
    const url = 'postgresql://u:p#%/@:?x@host/db?sslmode=disable';
    expect(tlsPlanOf(url, {}, home)).toMatchObject({ connectionString: 'postgresql://u:p#%/@:?x@host/db', mode: 'disable' });
  });
});
