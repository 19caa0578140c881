// Shared helpers for the benchmarks: generated projects, whole-process timing, medians.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin/sqlmig.js');
export const WORK = join(ROOT, 'bench/.work');

/**
 * Writes `count` migrations into a fresh folder: numbered names, in 10 subfolders, each file
 * requiring the one 10 before it, a table per file, with a revert.
 */
export function generateProject(name, count, body = defaultBody) {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const folder = `part${i % 10}`;
    const file = join(dir, folder, `${String(i).padStart(6, '0')}_t${i}.sql`);
    mkdirSync(join(dir, folder), { recursive: true });
    const requires = i >= 10 ? `-- requires: part${(i - 10) % 10}/${String(i - 10).padStart(6, '0')}_t${i - 10}\n` : '';
    writeFileSync(file, `${requires}${body(i)}`);
  }
  return dir;
}

function defaultBody(i) {
  return `-- Table ${i}.\n\nCREATE TABLE bench_t${i} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL\n);\n\n-- revert:\nDROP TABLE bench_t${i};\n`;
}

/** Wall time of one whole process in ms; throws if it fails. */
export function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs each labelled command `runs` times, interleaved so that machine noise hits all alike; returns medians. */
export function medians(commands, runs) {
  const times = commands.map(() => []);
  for (let r = 0; r < runs; r++) commands.forEach((c, i) => times[i].push(c()));
  return times.map(median);
}

export function machine() {
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim();
  return `${process.platform} ${process.arch}, ${cpu}, ${cores()} cores, node ${process.version}`;
}

function cores() {
  return execFileSync('nproc').toString().trim();
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** Wall time (ms) and peak resident memory (MB) of one whole process, measured by /usr/bin/time. */
export function timeAndMemory(command, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [seconds, kb] = r.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: seconds * 1000, mb: kb / 1024 };
}
