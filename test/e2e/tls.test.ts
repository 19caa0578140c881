// sslmode as psql means it, against a throw-away TLS-only server with a self-signed certificate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../helpers/databases.js';
import { sqlmig, type CliResult } from '../helpers/cli.js';
import { startTlsCluster, type TlsCluster } from '../helpers/tls-cluster.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { lacking } from '../helpers/lacking.js';

// The migration records whether its own session is encrypted.
const RECORD_SSL = 'CREATE TABLE tls_check AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n-- revert:\nDROP TABLE tls_check;\n';
const CHOICES = /hint: .*sslmode=require encrypts without verifying the certificate; sslmode=verify-ca or verify-full with sslrootcert=FILE/;

const expectNoWarning = (r: CliResult) => {
  expect(r.stderr).not.toMatch(/SECURITY WARNING|reachable/);
};

describe('TLS connections (sslmode)', () => {
  let cluster: TlsCluster | undefined;
  let dir: string;
  beforeAll(async () => {
    cluster = await startTlsCluster();
    if (!cluster) lacking('no PostgreSQL server binaries (initdb) under /usr/lib/postgresql to start a TLS cluster', 'the TLS tests');
    dir = writeFiles(tempDir(), { '1.sql': RECORD_SSL });
  });
  afterAll(() => cluster?.stop());
  const on = (query: string) => `${cluster!.url}?${query}`;

  it('sslmode=require encrypts without verifying a self-signed certificate: up works, no warning', async ({ skip }) => {
    if (!cluster) skip();
    const up = await sqlmig(['up', '--dir', dir, '--db', on('sslmode=require')]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const status = await sqlmig(['status', '--dir', dir, '--db', on('sslmode=require'), '--json']);
    expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual(['applied']);
    // The migration's own session was encrypted.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: cluster!.url, ssl: { rejectUnauthorized: false } });
    await client.connect();
    expect((await client.query('SELECT ssl FROM tls_check')).rows).toEqual([{ ssl: true }]);
    await client.end();
  });

  it('PGSSLMODE=require does the same from the environment', async ({ skip }) => {
    if (!cluster) skip();
    const r = await sqlmig(['status', '--dir', dir, '--db', cluster!.url], { env: { PGSSLMODE: 'require' } });
    expectNoWarning(r);
    expect(r.code).toBe(0);
  });

  it('sslmode=verify-full without the CA fails with exit 3 and a hint naming the sslmode choices', async ({ skip }) => {
    if (!cluster) skip();
    for (const r of [
      await sqlmig(['status', '--dir', dir, '--db', on('sslmode=verify-full')]),
      await sqlmig(['status', '--dir', dir, '--db', cluster!.url], { env: { PGSSLMODE: 'verify-full' } }),
    ]) {
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`error[connection]: cannot connect to postgres://postgres@127.0.0.1:${cluster!.port}/postgres`);
      expect(r.stderr).toContain('sslmode verify-full): self-signed certificate');
      expect(r.stderr).toMatch(CHOICES);
      expectNoWarning(r);
    }
  });

  it('sslmode=verify-ca with sslrootcert verifies the chain, not the host name (URL and PGSSLROOTCERT)', async ({ skip }) => {
    if (!cluster) skip();
    const fromUrl = await sqlmig(['status', '--dir', dir, '--db', on(`sslmode=verify-ca&sslrootcert=${cluster!.certFile}`)]);
    expect(fromUrl.stderr).toBe('');
    expect(fromUrl.code).toBe(0);
    const fromEnv = await sqlmig(['status', '--dir', dir, '--db', cluster!.url], { env: { PGSSLMODE: 'verify-ca', PGSSLROOTCERT: cluster!.certFile } });
    expect(fromEnv.code).toBe(0);
    // verify-full also checks the name: the certificate says localhost, the URL 127.0.0.1.
    const full = await sqlmig(['status', '--dir', dir, '--db', on(`sslmode=verify-full&sslrootcert=${cluster!.certFile}`)]);
    expect(full.code).toBe(3);
    expect(full.stderr).toContain('hint: the certificate does not name host 127.0.0.1');
  });

  it('sslmode=disable against a TLS-only pg_hba.conf fails cleanly; allow then tries TLS', async ({ skip }) => {
    if (!cluster) skip();
    const r = await sqlmig(['status', '--dir', dir, '--db', on('sslmode=disable')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "postgres", no encryption');
    expect(r.stderr).toContain('hint: the server accepts this connection only over TLS (a hostssl line in pg_hba.conf)');
    expect(r.stderr).toMatch(CHOICES);
    expect((await sqlmig(['status', '--dir', dir, '--db', on('sslmode=allow')])).code).toBe(0);
    expect((await sqlmig(['status', '--dir', dir, '--db', on('sslmode=prefer')])).code).toBe(0);
  });

  it('sslmode=prefer falls back to no TLS on a server without it; require says the server has TLS off', async ({ skip }) => {
    if (!postgresUrl) skip();
    const plain = writeFiles(tempDir(), {});
    const prefer = await sqlmig(['status', '--dir', plain, '--db', `${postgresUrl}?sslmode=prefer`]);
    expect(prefer.stderr).toBe('');
    expect(prefer.code).toBe(0);
    const require = await sqlmig(['status', '--dir', plain, '--db', postgresUrl!], { env: { PGSSLMODE: 'require' } });
    expect(require.code).toBe(3);
    expect(require.stderr).toContain('The server does not support SSL connections');
    expect(require.stderr).toContain('hint: the server has TLS turned off');
  });

  it('a misspelt sslmode or a missing certificate file is a usage error before connecting (exit 2)', async () => {
    const nowhere = 'postgres://postgres@203.0.113.1:5432/db';
    const bad = await sqlmig(['status', '--dir', dir, '--db', `${nowhere}?sslmode=requires`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown sslmode "requires" (from the database URL)');
    expect(bad.stderr).toContain('hint: sslmode is one of disable, allow, prefer, require, verify-ca, verify-full');
    const env = await sqlmig(['status', '--dir', dir, '--db', nowhere], { env: { PGSSLMODE: 'verify-ca', PGSSLROOTCERT: '/no/such/ca.pem' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('cannot read sslrootcert /no/such/ca.pem (from PGSSLROOTCERT): ENOENT');
    const noCa = await sqlmig(['status', '--dir', dir, '--db', `${nowhere}?sslmode=verify-ca`], { env: { HOME: tempDir() } });
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toContain('sslmode=verify-ca needs the certificate of the CA');
  });
});
