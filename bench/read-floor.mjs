// The I/O floor of `graph`: a node process that only lists a folder's .sql files and reads each one.
// Usage: node bench/read-floor.mjs DIR
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const buffer = Buffer.allocUnsafe(65536);
let bytes = 0;
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path);
    else if (e.name.endsWith('.sql')) {
      const fd = openSync(path, 'r');
      bytes += readSync(fd, buffer, 0, buffer.length, null);
      closeSync(fd);
    }
  }
})(process.argv[2]);
process.stdout.write(`${bytes}\n`);
