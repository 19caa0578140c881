// An exclusive lock on a path between processes of one machine: a lock file holding the owner's pid.
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockError } from '../errors.js';

export interface Owner {
  pid: number;
  host: string;
  since: string;
}

/**
 * Creates `lockPath` exclusively ('wx'), polling until `waitMs` has passed. A lock file whose owner
 * process is gone (same host, pid not alive) is stale and taken over. Returns the release function.
 */
export async function acquireFileLock(lockPath: string, waitMs: number, what: string): Promise<() => void> {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    const release = tryFileLock(lockPath);
    if (release) return release;
    if (Date.now() >= deadline) {
      throw new LockError(`${what} is in use by ${fileLockHolder(lockPath) ?? 'another process'} (waited ${Math.round(waitMs / 1000)}s)`, {
        hint: `wait for it to finish, or raise --lock-wait; if no such process runs, delete ${lockPath}`,
      });
    }
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(10, deadline - Date.now()))));
  }
}

/**
 * One attempt: creates `lockPath` holding this process's pid, taking over a stale one. Returns the
 * release function, or undefined while another live process holds it. The folder must exist.
 */
export function tryFileLock(lockPath: string): (() => void) | undefined {
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    if (owner && owner.host === me.host && !isAlive(owner.pid) && removeStaleLock(lockPath, owner)) continue;
    return undefined;
  }
}

/** How long a takeover may hold its marker before the marker itself counts as left by a crash. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Removes a stale lock file, one process at a time: two processes that both read the same dead owner
 * would otherwise race, and the slower one would delete the lock the faster one had just created.
 * Under an exclusive `.takeover` marker, the file is read again and removed only if it still names
 * `stale`. False when another process is taking it over (the caller polls again).
 */
export function removeStaleLock(lockPath: string, stale: Owner): boolean {
  const marker = `${lockPath}.takeover`;
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (markerAge(marker) > TAKEOVER_STALE_MS) rmSync(marker, { force: true });
    return false;
  }
  try {
    const now = readOwner(lockPath);
    if (now && now.pid === stale.pid && now.host === stale.host && now.since === stale.since) rmSync(lockPath, { force: true });
    return true;
  } finally {
    rmSync(marker, { force: true });
  }
}

function markerAge(marker: string): number {
  try {
    return Date.now() - statSync(marker).mtimeMs;
  } catch {
    return 0; // removed meanwhile
  }
}

/** Who holds a lock file: "pid 4242 on host since …"; undefined when it is gone or being written. */
export function fileLockHolder(lockPath: string): string | undefined {
  const owner = readOwner(lockPath);
  return owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : undefined;
}

/** Whether this process holds the lock file (it was not removed or taken over). */
export function holdsFileLock(lockPath: string): boolean {
  const owner = readOwner(lockPath);
  return owner !== undefined && owner.pid === process.pid && owner.host === hostname();
}

function readOwner(lockPath: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as Owner;
  } catch {
    return undefined; // being written or removed right now: look again on the next poll
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
