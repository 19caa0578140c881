// `sqlmig dump`'s pure parts: the order of objects (dependencies first, then kind and name), and the file around a driver's SQL.
import { topologicalOrder } from './graph.js';
import { compareCodePoints } from './strings.js';

export interface SchemaDump {
  /** Statements that load into an empty database of the engine, each ending with `;`. */
  sql: string;
  /** Objects the dump does not write yet (`collation app.x`), for a warning. */
  skipped: string[];
}

/**
 * Kahn's algorithm over the objects' dependencies, the smallest `sortKey` first among the ready ones, so
 * that the order depends on the schema alone (never on OIDs or creation order). Objects left in a
 * cycle follow in key order.
 */
export function orderObjects(nodes: ReadonlyMap<string, string>, edges: readonly { dependent: string; required: string }[]): string[] {
  const byKey = new Map([...nodes].map(([id, key]) => [key, id]));
  const requiredBy = new Map<string, string[]>([...nodes.values()].map((key) => [key, []]));
  for (const { dependent, required } of edges) {
    const from = nodes.get(required), to = nodes.get(dependent);
    if (from !== undefined && to !== undefined && from !== to) requiredBy.get(from)!.push(to);
  }
  for (const list of requiredBy.values()) list.splice(0, list.length, ...new Set(list));
  const order = topologicalOrder(requiredBy);
  const placed = new Set(order);
  const rest = [...requiredBy.keys()].filter((k) => !placed.has(k)).sort(compareCodePoints);
  return [...order, ...rest].map((key) => byKey.get(key)!);
}

/**
 * The dump file: a header saying how to load it, the engine's statements, then the applied migrations
 * as comments, so that a reviewer sees the schema and what made it. No date, host or version: the same
 * schema gives the same bytes.
 */
export function renderDump(body: string, applied: readonly string[], historySchema: string): string {
  const header = [
    '-- Schema dumped by sqlmig from the database catalog: load it into an empty database.',
    `-- Left out: sqlmig's history (${historySchema}), owners, and the data.`,
  ];
  const footer = [
    applied.length === 0 ? '-- Applied migrations: none.' : '-- Applied migrations, in order of application:',
    ...applied.map((name) => `--   ${name}`),
  ];
  const statements = body.trim();
  return `${[header.join('\n'), ...(statements === '' ? [] : [statements]), footer.join('\n')].join('\n\n')}\n`;
}
