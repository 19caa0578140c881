// bin/sqlmig.js compiles the CLI's bundle with V8's code cache (dist/cli.cache). A cache of another
// build, or one V8 refuses, is not used and is replaced by one that is; other node flags get a cache
// file of their own; a cache that cannot be written leaves the run as it was. Each test runs a copy
// of the installation, never the tree's own.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function installation(): string {
  const root = tempDir();
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist'));
  for (const file of ['sqlmig.js', 'package.json']) cpSync(join(ROOT, 'bin', file), join(root, 'bin', file));
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  for (const file of ['cli.cjs', 'cli.cache']) cpSync(join(ROOT, 'dist', file), join(root, 'dist', file));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** `graph` of the example project: its first line, or the failure. */
function graph(root: string, nodeFlags: string[] = []): string {
  const r = spawnSync(process.execPath, [...nodeFlags, join(root, 'bin/sqlmig.js'), 'graph', '--dir', join(ROOT, 'migrations-example')], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n')[0];
}

const buildLine = (root: string) => readFileSync(join(root, 'dist/cli.cjs'), 'utf8').split('\n')[0] + '\n';
const cacheOf = (root: string) => join(root, 'dist/cli.cache');

describe('the code cache', () => {
  it('is the build\'s, used as it is: a run does not write it again', () => {
    const root = installation();
    expect(readFileSync(cacheOf(root), 'latin1').startsWith(buildLine(root))).toBe(true);
    const before = statSync(cacheOf(root)).ino;
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(graph(root)).toBe(' 1. core/001_schema');
    // A rewrite renames a new file into place: another inode.
    expect(statSync(cacheOf(root)).ino).toBe(before);
  });

  it('of another build is not used, and is replaced by one of this build', () => {
    const root = installation();
    const cache = readFileSync(cacheOf(root));
    const other = Buffer.concat([Buffer.from('// sqlmig build 0000000000000000\n'), cache.subarray(buildLine(root).length)]);
    writeFileSync(cacheOf(root), other);
    expect(graph(root)).toBe(' 1. core/001_schema');
    const rewritten = readFileSync(cacheOf(root), 'latin1');
    expect(rewritten.startsWith(buildLine(root))).toBe(true);
    const ino = statSync(cacheOf(root)).ino;
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(statSync(cacheOf(root)).ino).toBe(ino);
  });

  it('that V8 refuses is replaced; the run is not affected', () => {
    const root = installation();
    writeFileSync(cacheOf(root), Buffer.concat([Buffer.from(buildLine(root)), Buffer.alloc(4096, 0x5a)]));
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(readFileSync(cacheOf(root)).subarray(buildLine(root).length).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    const ino = statSync(cacheOf(root)).ino;
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(statSync(cacheOf(root)).ino).toBe(ino);
  });

  it('made under other V8 flags is a file of its own: runs with and without them do not replace each other\'s', () => {
    const root = installation();
    const plain = statSync(cacheOf(root)).ino;
    expect(graph(root, ['--stack-size=2000'])).toBe(' 1. core/001_schema');
    const own = readdirSync(join(root, 'dist')).filter((f) => /^cli\.[0-9a-f]{8}\.cache$/.test(f));
    expect(own).toHaveLength(1);
    const ino = statSync(join(root, 'dist', own[0])).ino;
    expect(graph(root, ['--stack-size=2000'])).toBe(' 1. core/001_schema');
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(statSync(join(root, 'dist', own[0])).ino).toBe(ino);
    expect(statSync(cacheOf(root)).ino).toBe(plain);
  });

  it('that cannot be written leaves nothing behind', () => {
    const root = installation();
    // A folder where the cache goes: it can be neither read nor replaced.
    rmSync(cacheOf(root));
    mkdirSync(cacheOf(root));
    writeFileSync(join(cacheOf(root), 'keep'), '');
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(graph(root)).toBe(' 1. core/001_schema');
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['cli.cache', 'cli.cjs']);
    expect(readdirSync(cacheOf(root))).toEqual(['keep']);
  });
});
