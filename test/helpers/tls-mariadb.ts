// A throw-away MariaDB server that accepts only TLS (require_secure_transport), with a self-signed
// certificate for "localhost"; the shared server has no TLS.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';
import { waitFor } from './wait.js';

export interface TlsMariadb {
  port: number;
  /** The server's certificate, which is also its own CA. */
  certFile: string;
  /** Another self-signed certificate: a CA that did not sign the server's. */
  otherCaFile: string;
  stop(): void;
}

const SERVER = '/usr/sbin/mariadbd';
const INSTALL = '/usr/bin/mariadb-install-db';

const selfSigned = (keyFile: string, certFile: string, name: string) =>
  execFileSync('openssl', ['req', '-new', '-x509', '-days', '1', '-nodes', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`,
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });

/** Starts the server on a free port, root without a password; undefined when MariaDB's binaries are not installed. */
export async function startTlsMariadb(): Promise<TlsMariadb | undefined> {
  if (!existsSync(SERVER) || !existsSync(INSTALL)) return undefined;
  const home = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sqlmig-mtls-'));
  const data = join(home, 'data');
  const [certFile, keyFile, otherCaFile] = ['server.crt', 'server.key', 'other.crt'].map((f) => join(home, f));
  const port = await freePort();
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  let server: ChildProcess | undefined;
  const stop = () => {
    server?.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  };
  try {
    execFileSync(INSTALL, ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db'],
      { stdio: 'ignore' });
    selfSigned(keyFile, certFile, 'localhost');
    selfSigned(join(home, 'other.key'), otherCaFile, 'localhost');
    server = spawn(SERVER, ['--no-defaults', `--datadir=${data}`, ...user, `--port=${port}`, '--bind-address=127.0.0.1',
      `--socket=${join(home, 'sock')}`, `--pid-file=${join(home, 'pid')}`, `--ssl-cert=${certFile}`, `--ssl-key=${keyFile}`,
      '--require-secure-transport=ON', '--innodb-buffer-pool-size=16M', '--skip-log-bin'], { stdio: 'ignore' });
    const { default: mysql } = await import('mysql2/promise');
    await waitFor(async () => {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', ssl: { rejectUnauthorized: false } }).catch(() => undefined);
      await c?.query('CREATE DATABASE IF NOT EXISTS app');
      await c?.end();
      return c !== undefined;
    }, 'the TLS MariaDB server accepting connections');
  } catch (error) {
    stop();
    throw error;
  }
  return { port, certFile, otherCaFile, stop };
}
