// `.env` files as dotenv reads them: KEY=VALUE lines, quotes, comments, `export`, `${VAR}` expansion. Values never appear in messages.
import type { Checked, Diagnostic } from './diagnostic.js';
import { normalizeNewlines } from './text.js';

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
}

/** dotenv's names: letters, digits, `_`, `.` and `-`, not starting with a digit. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

/**
 * The assignments of a `.env` file, in order (a key assigned twice: both, the later one wins when
 * applied). Per line: `KEY=value`, optionally after `export `; `#` starts a comment on its own line,
 * and after an unquoted value when a space precedes it. Values:
 * - unquoted: trimmed; `${VAR}`, `${VAR:-default}` and `$VAR` expand, `\$` is a dollar;
 * - `"double"`: may span lines; `\n`, `\r`, `\t`, `\"`, `\\`, `\$` are escapes; variables expand;
 * - `'single'` and `` `backtick` ``: may span lines; taken as written.
 * `lookup` gives a variable's value for expansion (the environment, then what earlier lines set);
 * an unknown variable expands to nothing. Every malformed line is reported, at its line, without its text.
 */
export function parseEnvFile(text: string, path: string, lookup: (name: string) => string | undefined): Checked<EnvEntry[]> {
  const lines = normalizeNewlines(text).split('\n');
  const entries: EnvEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const own = new Map<string, string>();
  const resolve = (name: string) => lookup(name) ?? own.get(name);
  const problem = (line: number, column: number, message: string, hint: string) =>
    diagnostics.push({ severity: 'error', code: 'env-file', message, hint, position: { path, line, column } });

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNumber = i + 1;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      problem(lineNumber, 1, 'not a KEY=VALUE line', 'each line is KEY=VALUE, optionally after "export "; comments start with #; quote values that hold spaces or #');
      continue;
    }
    const key = m[1];
    let rest = line.slice(m[0].length);
    const quote = rest[0];
    let value: string;
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value ends at its closing quote, which may be on a later line.
      let body = rest.slice(1);
      let end = closingQuote(body, quote);
      const startLine = i;
      while (end === -1 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i]}`;
        end = closingQuote(body, quote);
      }
      if (end === -1) {
        problem(startLine + 1, m[0].length + 1, `a ${quote} quote that is never closed`, `close the value with ${quote}`);
        // Go on with the next line, so that the lines below are checked too.
        i = startLine;
        continue;
      }
      rest = body.slice(end + 1);
      if (!/^\s*(#.*)?$/.test(rest)) {
        problem(i + 1, 1, 'text after the closing quote', 'put a comment after a space and #, or quote the whole value');
        continue;
      }
      const raw = body.slice(0, end);
      if (quote !== '"') value = raw;
      else {
        const expanded = expand(raw, resolve, true);
        if (expanded === undefined) { problem(startLine + 1, m[0].length + 1, 'a "${" without its "}"', 'write ${NAME}, or \\$ for a dollar sign'); continue; }
        value = expanded;
      }
    } else {
      const comment = rest.search(/[ \t]#/);
      const raw = (comment === -1 ? rest : rest.slice(0, comment)).trim();
      const expanded = expand(raw, resolve, false);
      if (expanded === undefined) { problem(lineNumber, m[0].length + 1, 'a "${" without its "}"', 'write ${NAME}, or \\$ for a dollar sign'); continue; }
      value = expanded;
    }
    own.set(key, value);
    entries.push({ key, value, line: lineNumber });
  }
  return { value: entries, diagnostics };
}

/** The index of the quote that closes a value (a backslash escapes one in a double-quoted value), or -1. */
function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') { i++; continue; }
    if (body[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * `${NAME}`, `${NAME:-default}`, `$NAME`, and `\$` for a dollar sign; in a double-quoted value
 * (`escapes`) also `\n`, `\r`, `\t`, `\"`, `\\`. Undefined for a `${` never closed.
 */
function expand(value: string, resolve: (name: string) => string | undefined, escapes: boolean): string | undefined {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (escapes ? value[i + 1] in ESCAPES : value[i + 1] === '$')) { out += ESCAPES[value[i + 1]]; i++; continue; }
    if (c !== '$') { out += c; continue; }
    if (value[i + 1] === '{') {
      const close = value.indexOf('}', i + 2);
      if (close === -1) return undefined;
      const [name, fallback] = splitDefault(value.slice(i + 2, close));
      const found = resolve(name);
      out += found === undefined || (found === '' && fallback !== undefined) ? (fallback ?? '') : found;
      i = close;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))?.[0];
    if (!name) { out += c; continue; }
    out += resolve(name) ?? '';
    i += name.length;
  }
  return out;
}

function splitDefault(inner: string): [string, string | undefined] {
  const at = inner.indexOf(':-');
  return at === -1 ? [inner, undefined] : [inner.slice(0, at), inner.slice(at + 2)];
}
