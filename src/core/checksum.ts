// The checksum that detects drift: what runs at deploy time, and nothing else.
import { createRequire } from 'node:module';
import { isSignificant, type Token } from './lexer.js';
import { compareCodePoints } from './strings.js';

/**
 * sha256 of the `transaction` directive and the deploy section's code (see `significantCode`).
 * Comments, whitespace outside literals, `requires` (the history checks those against its own order)
 * and the verify and revert sections are left out: editing them changes nothing that ran.
 *
 * `foreign-keys: off` counts too: it changes what the deploy does to the data, not only how it runs.
 * With foreign keys enforced, SQLite's DROP TABLE first deletes every row, which fires the children's
 * ON DELETE CASCADE / SET NULL actions, so the same rebuild with and without the directive leaves
 * different rows behind. It enters the text only when off.
 *
 * So do the variables the deploy section uses (their names, never their values): declaring one turns
 * `:n` from SQL sent as written (`a[1:n]`) into a value, which changes what runs. A file without
 * variables hashes as before.
 */
export function migrationChecksum(transactional: boolean, code: string, foreignKeys = true, variables: readonly string[] = []): string {
  const vars = variables.length > 0 ? `vars: ${[...new Set(variables)].sort(compareCodePoints).join(', ')}\n` : '';
  return sha256Hex(`transaction: ${transactional ? 'on' : 'off'}\n${foreignKeys ? '' : 'foreign-keys: off\n'}${vars}${code}`);
}

/**
 * The significant tokens of `tokens` (comments dropped), each as written, one space between two
 * tokens — except between operator characters that touch (`<=`, `::`, `|-`), which the server reads
 * as one operator, so that `a <= b` and `a < = b` stay different while `a<=b` and `a <= b` do not.
 */
export function significantCode(text: string, tokens: readonly Token[]): string {
  let code = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    if (!isSignificant(token)) continue;
    const glued = previous?.kind === 'operator' && token.kind === 'operator' && previous.end === token.start;
    if (previous && !glued) code += ' ';
    code += text.slice(token.start, token.end);
    previous = token;
  }
  return code;
}

/**
 * The checksum of releases before comments and whitespace were left out: the sorted requires, the
 * `transaction` directive and the trimmed deploy text. Histories written then store it; a run that
 * finds it upgrades the row in place (see core/drift.ts).
 */
export function legacyChecksum(requires: readonly string[], transactional: boolean, deploy: string): string {
  const directives = `requires: ${[...new Set(requires)].sort(compareCodePoints).join(', ')}\ntransaction: ${transactional ? 'on' : 'off'}\n`;
  return sha256Hex(`${directives}\n${deploy.trim()}`);
}

// crypto is loaded on first use: it brings a dozen of Node's internal modules, which `--help` need not load.
let crypto: typeof import('node:crypto') | undefined;

// The one-shot crypto.hash (Node 20.12+) costs a third of a Hash object on inputs this small.
/** sha256 of `text` (UTF-8), in hex: the checksums here, and the engines' lock names and keys. */
export function sha256Hex(text: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
