// A throw-away PostgreSQL cluster that speaks only TLS, with a self-signed certificate (the shared server has ssl = off).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

export interface TlsCluster {
  port: number;
  /** The self-signed server certificate (CN=localhost), which is also its own CA. */
  certFile: string;
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, without any sslmode. */
  url: string;
  stop(): void;
}

const ROOT = '/usr/lib/postgresql';

/** The newest installed server's binaries, or undefined when none is installed. */
function binDir(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const version = readdirSync(ROOT).filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0];
  return version && join(ROOT, version, 'bin');
}

/** initdb refuses root: the server's tools run as the postgres OS user when we are root. */
function asPostgres(command: string, args: string[]): void {
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}


/**
 * Starts a cluster on a free port whose pg_hba.conf accepts TCP connections only over TLS (hostssl,
 * trust). Undefined when no PostgreSQL server binaries are installed.
 */
export async function startTlsCluster(): Promise<TlsCluster | undefined> {
  const bin = binDir();
  if (!bin) return undefined;
  const home = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sqlmig-tls-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(home, uid, gid);
  }
  const data = join(home, 'data');
  const certFile = join(data, 'server.crt');
  const keyFile = join(data, 'server.key');
  const port = await freePort();
  const stop = () => {
    if (existsSync(join(data, 'postmaster.pid'))) asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    asPostgres('openssl', ['req', '-new', '-x509', '-days', '1', '-nodes', '-subj', '/CN=localhost',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', keyFile, '-out', certFile]);
    chmodSync(keyFile, 0o600);
    // Written by us (root) into a file the postgres user already owns: its owner and mode stay.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', join(home, 'log'), '-o',
      `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=${certFile} -c ssl_key_file=${keyFile}`, 'start']);
  } catch (error) {
    stop();
    throw error;
  }
  return { port, certFile, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
