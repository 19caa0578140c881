// ssl-mode as the mysql client means it, against a throw-away MariaDB that accepts only TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlUrl, mysqlUrlOf } from '../helpers/databases.js';
import { sqlmig } from '../helpers/cli.js';
import { startTlsMariadb, type TlsMariadb } from '../helpers/tls-mariadb.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { lacking } from '../helpers/lacking.js';

// The migration records whether its own session is encrypted.
const RECORD_TLS = "CREATE TABLE tls_check AS SELECT VARIABLE_VALUE AS cipher FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER';\n"
  + '-- revert:\nDROP TABLE tls_check;\n';

describe('TLS connections to MySQL and MariaDB (ssl-mode)', () => {
  let server: TlsMariadb | undefined;
  let dir: string;
  beforeAll(async () => {
    server = await startTlsMariadb();
    if (!server) lacking('no MariaDB server binaries (/usr/sbin/mariadbd, mariadb-install-db) to start a TLS server', 'the MySQL TLS tests');
    dir = writeFiles(tempDir(), { '1.sql': RECORD_TLS });
  }, 60_000);
  afterAll(() => server?.stop());
  const on = (query: string, host = '127.0.0.1') => `mysql://root@${host}:${server!.port}/app${query && `?${query}`}`;

  it('REQUIRED encrypts without checking the certificate; the migration ran encrypted; without ssl-mode too (PREFERRED); DISABLED is refused', async ({ skip }) => {
    if (!server) skip();
    const up = await sqlmig(['up', '--dir', dir, '--db', on('ssl-mode=REQUIRED')]);
    expect(up.code).toBe(0);
    const { default: mysql } = await import('mysql2/promise');
    const c = await mysql.createConnection({ uri: on(''), ssl: { rejectUnauthorized: false } });
    const [rows] = await c.query('SELECT cipher FROM tls_check');
    await c.end();
    expect((rows as { cipher: string }[])[0].cipher).not.toBe('');
    // The server accepts only TLS: without ssl-mode (PREFERRED) sqlmig encrypts; DISABLED is refused.
    const byDefault = await sqlmig(['status', '--dir', dir, '--db', on('')]);
    expect(byDefault.stderr).toBe('');
    expect(byDefault.code).toBe(0);
    const plain = await sqlmig(['status', '--dir', dir, '--db', on('ssl-mode=DISABLED')]);
    expect(plain.code).toBe(3);
    const down = await sqlmig(['down', '--all', '--dir', dir, '--db', on('ssl-mode=preferred')]);
    expect(down.code).toBe(0);
  });

  it('VERIFY_CA checks the chain against ssl-ca; another CA is refused (exit 3) with a hint', async ({ skip }) => {
    if (!server) skip();
    const ok = await sqlmig(['status', '--dir', dir, '--db', on(`ssl-mode=VERIFY_CA&ssl-ca=${server!.certFile}`)]);
    expect(ok.code).toBe(0);
    // ssl-ca alone means VERIFY_CA.
    const caOnly = await sqlmig(['status', '--dir', dir, '--db', on(`ssl-ca=${server!.otherCaFile}`)]);
    expect(caOnly.code).toBe(3);
    expect(caOnly.stderr).toContain("hint: the server's certificate was refused: check ssl-ca");
  });

  it('VERIFY_IDENTITY checks the host name too; with an address it is a usage error', async ({ skip }) => {
    if (!server) skip();
    const byName = await sqlmig(['status', '--dir', dir, '--db', on(`ssl-mode=VERIFY_IDENTITY&ssl-ca=${server!.certFile}`, 'localhost')]);
    expect(byName.code).toBe(0);
    const byAddress = await sqlmig(['status', '--dir', dir, '--db', on(`ssl-mode=VERIFY_IDENTITY&ssl-ca=${server!.certFile}`)]);
    expect(byAddress.code).toBe(2);
    expect(byAddress.stderr).toContain('hint: use the host name the certificate holds, or ssl-mode=VERIFY_CA');
  });

  it('verify --db keeps the TLS parameters for its temporary databases', async ({ skip }) => {
    if (!server) skip();
    const r = await sqlmig(['verify', '--dir', dir, '--db', on('ssl-mode=REQUIRED')]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  });

  it('bad TLS parameters are usage errors before any connection (exit 2)', async () => {
    const cases: [string, string][] = [
      ['ssl-mode=sometimes', 'has ssl-mode=sometimes, which is not a mode'],
      ['ssl-mode=VERIFY_CA', 'ssl-mode=VERIFY_CA needs the certificate authority'],
      ['ssl-ca=/no/such/ca.pem', 'cannot read ssl-ca /no/such/ca.pem'],
      ['ssl-cert=/etc/hostname', 'gives ssl-cert without ssl-key'],
      ['sslmode=require', 'has parameters (sslmode), which sqlmig does not read for MySQL'],
    ];
    for (const [query, message] of cases) {
      // Port 9 (discard): nothing is asked of it.
      const r = await sqlmig(['status', '--dir', dir, '--db', `mysql://root@127.0.0.1:9/app?${query}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it.skipIf(!mysqlUrl)('PREFERRED (also the default) falls back to an unencrypted connection where the server has no TLS; REQUIRED refuses', async () => {
    for (const url of [`${mysqlUrlOf()}?ssl-mode=PREFERRED`, mysqlUrlOf()]) {
      const preferred = await sqlmig(['status', '--dir', dir, '--db', url]);
      expect(preferred.stderr).not.toContain('error');
      expect(preferred.code).toBe(0);
    }
    const required = await sqlmig(['status', '--dir', dir, '--db', `${mysqlUrlOf()}?ssl-mode=REQUIRED`]);
    expect(required.code).toBe(3);
    expect(required.stderr).toContain('hint: the server has no TLS');
  });
});
