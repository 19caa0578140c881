// A throw-away PostgreSQL cluster whose data directory is on tmpfs (/dev/shm): commits cost no disk
// flush there, so what remains of a run is the client's own overhead and the server's CPU work.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PORT = Number(process.env.TMPFS_PG_PORT ?? 5499);
const DATA = `/dev/shm/sqlmig-bench-pg-${PORT}`;

function pgBin(name) {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin', name);
}

/** initdb refuses root: run the server's tools as the postgres OS user when we are root. */
function asPostgres(command, args) {
  const argv = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(argv[0], argv[1], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts a fresh cluster on tmpfs; returns its admin URL and a stop function that removes it. */
export function startTmpfsCluster() {
  stop();
  asPostgres(pgBin('initdb'), ['-D', DATA, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPostgres(pgBin('pg_ctl'), ['-D', DATA, '-w', '-l', `${DATA}.log`, '-o', `-p ${PORT} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
  return { url: `postgres://postgres@127.0.0.1:${PORT}/postgres`, stop };
}

function stop() {
  if (existsSync(join(DATA, 'postmaster.pid'))) asPostgres(pgBin('pg_ctl'), ['-D', DATA, '-w', '-m', 'immediate', 'stop']);
  rmSync(DATA, { recursive: true, force: true });
  rmSync(`${DATA}.log`, { force: true });
}
