// The checksum that detects drift: what runs at deploy time, and nothing else.
import * as crypto from 'node:crypto';
import { compareCodePoints } from './strings.js';

/**
 * sha256 of the ordering and execution directives plus the deploy SQL. Comments in the header, the
 * verify and revert sections, and surrounding blank lines are left out: editing them changes nothing
 * that ran. `deploy` is already LF-normalised, so CRLF and LF copies of a file hash the same.
 *
 * `foreign-keys: off` counts too: it changes what the deploy does to the data, not only how it runs.
 * With foreign keys enforced, SQLite's DROP TABLE first deletes every row, which fires the children's
 * ON DELETE CASCADE / SET NULL actions, so the same rebuild with and without the directive leaves
 * different rows behind. It enters the text only when off, so no existing checksum changes.
 */
export function migrationChecksum(requires: readonly string[], transactional: boolean, deploy: string, foreignKeys = true): string {
  const directives = `requires: ${[...new Set(requires)].sort(compareCodePoints).join(', ')}\ntransaction: ${transactional ? 'on' : 'off'}\n`
    + (foreignKeys ? '' : 'foreign-keys: off\n');
  return sha256Hex(`${directives}\n${deploy.trim()}`);
}

// The one-shot crypto.hash (Node 20.12+) costs a third of a Hash object on inputs this small.
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');
