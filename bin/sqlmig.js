#!/usr/bin/env node
// The CLI is one bundled CommonJS file, dist/cli.cjs (scripts/build-cli.mjs): start-up is mostly
// loading code, and one file loads several times faster than a tree of modules. It is compiled with
// V8's code cache, dist/cli.cache, so that a new process skips compiling what a run needs (Node 20
// offers the cache only through vm.Script). The cache is made by the build, and again by the first
// run after V8 refuses it (another Node version), when the folder is writable.
// This file is CommonJS (bin/package.json): an ES module entry would load Node's ES module loader
// before the first line of sqlmig runs.
'use strict';
const { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'cli.cjs');
// V8 refuses a cache made under other V8 flags: each set of node flags (and NODE_OPTIONS) has its own
// file, so that runs with and without them do not overwrite each other's.
const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
const cacheFile = join(dist, flags === '' ? 'cli.cache' : `cli.${fnv1a(flags)}.cache`);
const source = readFileSync(file, 'utf8');
// The bundle's first line names its build; the cache starts with the same line. V8 checks only the
// source's length, so a cache is used only with the build that made it.
const build = Buffer.from(source.slice(0, source.indexOf('\n') + 1));
const cachedData = readCache();
const script = new Script(
  `(function (exports, require, module, __filename, __dirname, __sqlmigImportMetaUrl) {${source}\n})`,
  { filename: file, cachedData },
);
// Registered before the run: a command may end the process from inside it.
if (!cachedData || script.cachedDataRejected) process.once('exit', writeCache);
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dist, pathToFileURL(file).href);

function readCache() {
  try {
    const data = readFileSync(cacheFile);
    if (data.length > build.length && build.equals(data.subarray(0, build.length))) return data.subarray(build.length);
  } catch {
    // No cache yet: this run compiles as usual and writes one.
  }
  return undefined;
}

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function writeCache() {
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    accessSync(dist, constants.W_OK);
    // Written aside and renamed: a process starting meanwhile reads the old cache or the new, never half of one.
    writeFileSync(temporary, Buffer.concat([build, script.createCachedData()]));
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only installation runs without the cache.
    rmSync(temporary, { force: true });
  }
}
