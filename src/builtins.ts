// Node's built-in modules that only some commands use, loaded on first use: `--help`, `graph` and
// `lint` start without them (child_process loads a dozen internal modules). crypto: core/checksum.ts.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

let childProcess: typeof import('node:child_process') | undefined;
let fsPromises: typeof import('node:fs/promises') | undefined;

export const nodeChildProcess = (): typeof import('node:child_process') =>
  (childProcess ??= load('node:child_process') as typeof import('node:child_process'));
export const nodeFsPromises = (): typeof import('node:fs/promises') => (fsPromises ??= load('node:fs/promises') as typeof import('node:fs/promises'));
