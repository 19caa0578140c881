// The lock file of PGlite and SQLite: one holder at a time, even when several processes find the same
// stale lock (its owner died) at once.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { holdsFileLock, removeStaleLock, tryFileLock, type Owner } from '../../src/drivers/file-lock.js';
import { tempDir } from '../helpers/tmp.js';

/** A pid no process has: above the kernel's pid_max (at most 2^22). */
const DEAD_PID = 2 ** 22 + 1;
const staleOwner = (): Owner => ({ pid: DEAD_PID, host: hostname(), since: '2026-01-01T00:00:00.000Z' });

describe('file lock', () => {
  it('takes over a lock whose owner is gone, and refuses one whose owner lives', () => {
    const lock = join(tempDir(), 'db.lock');
    writeFileSync(lock, JSON.stringify(staleOwner()));
    const release = tryFileLock(lock);
    expect(release).toBeDefined();
    expect(holdsFileLock(lock)).toBe(true);
    writeFileSync(lock, JSON.stringify({ ...staleOwner(), pid: process.ppid }));
    expect(tryFileLock(lock)).toBeUndefined();
  });

  it('a process that read the stale owner before another took over does not remove the new lock', () => {
    const lock = join(tempDir(), 'db.lock');
    const stale = staleOwner();
    writeFileSync(lock, JSON.stringify(stale));
    const release = tryFileLock(lock); // the faster process: removes the stale lock and creates its own
    expect(release).toBeDefined();
    removeStaleLock(lock, stale); // the slower one, acting on what it read before
    expect(holdsFileLock(lock)).toBe(true);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    release!();
  });

  it('processes that find one stale lock at the same moment: exactly one gets it', async () => {
    const module = fileURLToPath(new URL('../../dist/drivers/file-lock.js', import.meta.url));
    // Each child waits for the same instant, tries once, and holds what it got until all have tried.
    const child = `import { tryFileLock } from ${JSON.stringify(module)};
      const [lock, at] = process.argv.slice(1);
      while (Date.now() < Number(at)) {}
      const release = tryFileLock(lock);
      process.stdout.write(release ? 'got' : 'no');
      setTimeout(() => release?.(), 2000);`;
    const round = async () => {
      const lock = join(tempDir(), 'db.lock');
      writeFileSync(lock, JSON.stringify(staleOwner()));
      const at = Date.now() + 1200;
      const outputs = await Promise.all(Array.from({ length: 5 }, () => new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', child, lock, String(at)]);
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('error', reject);
        p.on('close', () => resolve(out));
      })));
      return outputs.filter((o) => o === 'got').length;
    };
    // Before takeovers were serialised, about one round in four ended with two holders.
    const holders = [...await Promise.all([round(), round()]), ...await Promise.all([round(), round()])];
    expect(holders).toEqual([1, 1, 1, 1]);
  }, 30_000);
});
