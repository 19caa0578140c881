// `sqlmig dump` on MySQL and MariaDB, its pure part: the server's SHOW CREATE text of each object made
// loadable elsewhere and stable (no definer, no AUTO_INCREMENT counter), in an order that loads.
import { MYSQL } from './dialect.js';
import { orderObjects } from './dump.js';
import { compareCodePoints } from './strings.js';

/** One object as SHOW CREATE gives it. */
export interface MysqlObject {
  kind: 'table' | 'function' | 'procedure' | 'view' | 'trigger' | 'event';
  name: string;
  sql: string;
}

const KIND_ORDER: readonly MysqlObject['kind'][] = ['table', 'function', 'procedure', 'view', 'trigger', 'event'];

/**
 * The statements, in this order: tables by name (foreign keys are checked only once all are loaded, as
 * mysqldump does), functions and procedures (a view may call a function; routine bodies are not
 * checked when created), views with the views they read first, triggers (`objects` lists them in
 * firing order: each is created after those that fire before it), events. Bodies holding `;` are wrapped in
 * DELIMITER lines, which the mysql client and sqlmig both read.
 */
export function mysqlDumpSql(objects: readonly MysqlObject[]): string {
  const byKind = (kind: MysqlObject['kind']) => objects.filter((o) => o.kind === kind);
  const sorted = (kind: MysqlObject['kind']) => byKind(kind).sort((a, b) => compareCodePoints(a.name, b.name));
  const ordered = KIND_ORDER.flatMap((kind) => (kind === 'view' ? viewOrder(byKind('view')) : kind === 'trigger' ? byKind(kind) : sorted(kind)));
  const statements = ordered.map((o) => statement(o.kind === 'table' ? withoutCounter(o.sql) : withoutDefiner(o.sql)));
  if (statements.length === 0) return '';
  return ['SET FOREIGN_KEY_CHECKS = 0;', ...statements, 'SET FOREIGN_KEY_CHECKS = 1;'].join('\n\n');
}

/** `CREATE [ALGORITHM=…] DEFINER=user@host …` without the definer: the dump leaves owners out, as on PostgreSQL. */
export function withoutDefiner(sql: string): string {
  return sql.replace(/^(CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?)DEFINER\s*=\s*(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\s@]+)(?:@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\s]+))?\s+/i, '$1');
}

/**
 * The table options without `AUTO_INCREMENT=N`: the next counter is data, and changes with every insert.
 * Read with the lexer, so that a column named so, or a COMMENT that says so, stays as it is.
 */
export function withoutCounter(sql: string): string {
  const { tokens } = MYSQL.tokenize(sql);
  let depth = 0;
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i];
    if (t.kind === 'open-paren') depth++;
    else if (t.kind === 'close-paren') depth--;
    else if (depth === 0 && t.kind === 'word' && sql.slice(t.start, t.end).toUpperCase() === 'AUTO_INCREMENT'
      && sql.slice(tokens[i + 1].start, tokens[i + 1].end) === '=' && tokens[i + 2].kind === 'number') {
      const before = sql.slice(0, t.start).replace(/[ \t]+$/, '');
      return before + sql.slice(tokens[i + 2].end);
    }
  }
  return sql;
}

/** A statement ending with `;`, or between DELIMITER lines when its body holds `;` of its own. */
function statement(sql: string): string {
  const text = sql.trim();
  const tokens = MYSQL.tokenize(text).tokens;
  if (!tokens.some((t) => t.kind === 'semicolon')) return `${text};`;
  const delimiter = [';;', '$$', '//', '@@@'].find((d) => !text.includes(d)) ?? '$$$$';
  return `DELIMITER ${delimiter}\n${text}${delimiter}\nDELIMITER ;`;
}

/** Views after the views their query names (by name, in backticks or not), otherwise by name. */
function viewOrder(views: readonly MysqlObject[]): MysqlObject[] {
  const names = new Set(views.map((v) => v.name));
  const edges: { dependent: string; required: string }[] = [];
  for (const view of views) {
    const { tokens } = MYSQL.tokenize(view.sql);
    for (const t of tokens) {
      if (t.kind !== 'word' && t.kind !== 'quoted-identifier') continue;
      const raw = view.sql.slice(t.start, t.end);
      const name = t.kind === 'word' ? raw : raw.slice(1, -1).replaceAll('``', '`');
      if (name !== view.name && names.has(name)) edges.push({ dependent: view.name, required: name });
    }
  }
  const order = orderObjects(new Map(views.map((v) => [v.name, v.name])), edges);
  const byName = new Map(views.map((v) => [v.name, v]));
  return order.map((name) => byName.get(name)!);
}
