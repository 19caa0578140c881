// The order and graph in four formats: numbered text, JSON, Graphviz dot, Mermaid.
import type { Migration } from '../migration.js';
import { requiredNames } from '../migration.js';
import { plainStyle, type Style } from './style.js';

export type GraphFormat = 'text' | 'json' | 'dot' | 'mermaid';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['text', 'json', 'dot', 'mermaid'];

/** The stable JSON shape of one migration in `graph --format json` (documented in the README). */
export interface GraphJsonMigration {
  name: string;
  path: string;
  requires: string[];
  transaction: boolean;
  reversible: boolean;
  /** `-- repeatable: yes`: re-applied whenever it changes. */
  repeatable: boolean;
  checksum: string;
}

/** Renders `migrations` (already in apply order); edges to names outside the list are left out. */
export function renderGraph(migrations: readonly Migration[], format: GraphFormat, style: Style = plainStyle): string {
  switch (format) {
    case 'text': return renderText(migrations, style);
    case 'json': return renderJson(migrations);
    case 'dot': return renderDot(migrations);
    case 'mermaid': return renderMermaid(migrations);
  }
}

function renderText(migrations: readonly Migration[], style: Style): string {
  const width = String(migrations.length).length;
  return migrations.map((m, i) => {
    const notes: string[] = [];
    if (m.requires.length > 0) notes.push(`requires ${requiredNames(m).join(', ')}`);
    if (m.repeatable) notes.push('repeatable');
    if (!m.transactional) notes.push('transaction: off');
    if (!m.revert) notes.push('irreversible');
    const tail = notes.length > 0 ? `  ${style.dim(`(${notes.join('; ')})`)}` : '';
    return `${String(i + 1).padStart(width)}. ${m.name}${tail}`;
  }).join('\n');
}

export function graphJson(migrations: readonly Migration[]): { migrations: GraphJsonMigration[] } {
  return {
    migrations: migrations.map((m) => ({
      name: m.name,
      path: m.path,
      requires: requiredNames(m),
      transaction: m.transactional,
      reversible: m.revert !== undefined,
      repeatable: m.repeatable,
      checksum: m.checksum,
    })),
  };
}

function renderJson(migrations: readonly Migration[]): string {
  return JSON.stringify(graphJson(migrations), null, 2);
}

function edges(migrations: readonly Migration[]): [string, string][] {
  const present = new Set(migrations.map((m) => m.name));
  return migrations.flatMap((m) =>
    requiredNames(m).filter((r) => present.has(r)).map((r): [string, string] => [r, m.name]));
}

const dotString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Graphviz: an arrow runs from a migration to the one that requires it (the direction of application);
 * a repeatable file has a dashed outline.
 */
function renderDot(migrations: readonly Migration[]): string {
  const lines = ['digraph sqlmig {', '  rankdir=LR;', '  node [shape=box];'];
  for (const m of migrations) lines.push(`  ${dotString(m.name)}${m.repeatable ? ' [style=dashed]' : ''};`);
  for (const [from, to] of edges(migrations)) lines.push(`  ${dotString(from)} -> ${dotString(to)};`);
  lines.push('}');
  return lines.join('\n');
}

function renderMermaid(migrations: readonly Migration[]): string {
  const ids = new Map(migrations.map((m, i) => [m.name, `m${i + 1}`]));
  const lines = ['flowchart LR'];
  for (const m of migrations) lines.push(`  ${ids.get(m.name)}["${m.name.replace(/"/g, '#quot;')}"]`);
  for (const [from, to] of edges(migrations)) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  // Repeatable files: a dashed outline, as in dot.
  for (const m of migrations) if (m.repeatable) lines.push(`  style ${ids.get(m.name)} stroke-dasharray: 5 5`);
  return lines.join('\n');
}
