// The extensions a project's files create (`CREATE EXTENSION name`): an embedded engine must load them first.
import type { Dialect } from './dialect.js';
import type { SourcePosition } from './diagnostic.js';
import type { Migration } from './migration.js';
import { LineIndex } from './text.js';

export interface ExtensionUse {
  /** As PostgreSQL names it (`uuid-ossp`, `citext`), unquoted and lower-cased unless it was quoted. */
  name: string;
  position: SourcePosition;
}

/** `CREATE EXTENSION [IF NOT EXISTS] name` at the start of a statement of some deploy section, in file order. */
export function extensionsCreatedBy(migrations: readonly Migration[], dialect: Dialect): ExtensionUse[] {
  const uses: ExtensionUse[] = [];
  for (const m of migrations) {
    const { sql, offset } = m.deploy;
    // Most files create none: a plain text test spares lexing them again.
    if (!/create\s+extension/i.test(sql)) continue;
    const { tokens } = dialect.tokenize(sql);
    const lines = new LineIndex(m.text);
    for (const statement of dialect.splitStatements(sql, tokens)) {
      const words: string[] = [];
      let nameToken: { start: number; end: number; quoted: boolean } | undefined;
      for (let i = statement.first; i < statement.last; i++) {
        const t = tokens[i];
        if (t.kind === 'line-comment' || t.kind === 'block-comment') continue;
        if (t.kind !== 'word' && t.kind !== 'quoted-identifier') break;
        const word = sql.slice(t.start, t.end);
        const lower = word.toLowerCase();
        if (words.length < 2 || (words.length >= 2 && ['if', 'not', 'exists'].includes(lower) && t.kind === 'word')) {
          words.push(lower);
          continue;
        }
        nameToken = { start: t.start, end: t.end, quoted: t.kind === 'quoted-identifier' };
        break;
      }
      if (words[0] !== 'create' || words[1] !== 'extension' || !nameToken) continue;
      const raw = sql.slice(nameToken.start, nameToken.end);
      const name = nameToken.quoted ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
      uses.push({ name, position: { path: m.path, ...lines.position(offset + nameToken.start) } });
    }
  }
  return uses;
}
