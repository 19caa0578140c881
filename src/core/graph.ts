// The dependency graph: validation (unknown, self, duplicate, cycles) and the one deterministic order.
import { alg, Graph } from '@dagrejs/graphlib';
import type { Checked, Diagnostic } from './diagnostic.js';
import { NameHeap } from './heap.js';
import type { Migration, Requirement } from './migration.js';
import { nameKey } from './name.js';
import { closest, compareCodePoints } from './strings.js';

/** Migrations with their graph; an edge runs from a required name to the file that requires it. */
export interface MigrationGraph {
  /** Every migration, in the order `up` applies them. */
  order: Migration[];
  byName: ReadonlyMap<string, Migration>;
  /** name -> the names that require it directly (the graph's out-edges). */
  requiredBy: ReadonlyMap<string, readonly string[]>;
}

/**
 * Validates the requires of all migrations together and computes the order. `unparsed` names files
 * that exist but failed to parse: requiring them is not an "unknown" error on top of theirs.
 */
export function buildGraph(
  migrations: readonly Migration[], unparsed: ReadonlySet<string> = new Set(),
): Checked<MigrationGraph | undefined> {
  const diagnostics: Diagnostic[] = [];
  // Names that exist but are not in the graph (unparsable files, duplicates): requiring them is no extra error.
  const known = new Set(unparsed);
  const byName = uniqueByName(migrations, diagnostics, known);
  const requiredBy = new Map<string, string[]>();
  for (const name of byName.keys()) requiredBy.set(name, []);

  for (const m of byName.values()) {
    for (const r of m.requires) {
      const at = { path: m.path, line: r.line, column: r.column };
      if (r.name === m.name) {
        diagnostics.push({
          severity: 'error', code: 'self-require', message: `"${m.name}" requires itself`,
          hint: 'remove it from the requires line', position: at,
        });
      } else if (known.has(r.name)) {
        continue;
      } else if (!byName.has(r.name)) {
        diagnostics.push({
          severity: 'error', code: 'unknown-require', message: `unknown migration "${r.name}" in requires`,
          hint: unknownHint(r.name, byName), position: at,
        });
      } else {
        requiredBy.get(r.name)!.push(m.name);
      }
    }
  }
  const order = topologicalOrder(requiredBy);
  // Kahn leaves out exactly the nodes on or behind a cycle; only then is the cycle search needed.
  if (order.length < byName.size) diagnostics.push(...cycleDiagnostics(requiredBy, byName));
  if (diagnostics.length > 0) return { value: undefined, diagnostics };
  return { value: { order: order.map((n) => byName.get(n)!), byName, requiredBy }, diagnostics };
}

function uniqueByName(migrations: readonly Migration[], diagnostics: Diagnostic[], known: Set<string>): Map<string, Migration> {
  const byKey = new Map<string, Migration>();
  const byName = new Map<string, Migration>();
  for (const m of [...migrations].sort((a, b) => compareCodePoints(a.path, b.path))) {
    const first = byKey.get(nameKey(m.name));
    if (first) {
      const how = first.name === m.name ? 'the same name (file names that differ only by Unicode normalisation)'
        : 'names that differ only by case';
      diagnostics.push({
        severity: 'error', code: 'duplicate-name', message: `duplicate migration name "${m.name}": also ${first.path}`,
        hint: `${first.path} and ${m.path} have ${how}, which not every file system can tell apart; rename one`,
        position: { path: m.path, line: 1, column: 1 },
      });
      known.add(m.name);
      continue;
    }
    byKey.set(nameKey(m.name), m);
    byName.set(m.name, m);
  }
  return byName;
}

function unknownHint(name: string, byName: ReadonlyMap<string, Migration>): string {
  const stem = name.replace(/\.sql$/i, '');
  if (stem !== name && byName.has(stem)) return `write the name without ".sql": ${stem}`;
  const near = closest(name, byName.keys(), Math.max(2, Math.floor(name.length / 4)));
  if (near) return `did you mean "${near}"?`;
  return 'a name is the file path relative to the migrations folder, without ".sql" (e.g. auth/roles)';
}

/**
 * One diagnostic per strongly connected component, printed as a concrete cycle that starts and ends
 * at its smallest name and follows `requires`: `a -> b -> c -> a` reads "a requires b requires c …".
 */
function cycleDiagnostics(requiredBy: ReadonlyMap<string, readonly string[]>, byName: ReadonlyMap<string, Migration>): Diagnostic[] {
  const graph = new Graph({ directed: true });
  for (const [name, dependents] of requiredBy) {
    graph.setNode(name);
    for (const d of dependents) graph.setEdge(name, d);
  }
  const cycles = alg.findCycles(graph).map((component) => shortestCycle(graph, component));
  cycles.sort((a, b) => compareCodePoints(a[0], b[0]));
  return cycles.map((cycle) => {
    const start = byName.get(cycle[0])!;
    const r = start.requires.find((q) => q.name === cycle[1]) as Requirement;
    return {
      severity: 'error' as const, code: 'cycle', message: `requires cycle: ${cycle.join(' -> ')}`,
      hint: 'a migration cannot, through its requires, depend on itself; remove one of these requires',
      position: { path: start.path, line: r.line, column: r.column },
    };
  });
}

/** Breadth-first along requires (predecessors) from the smallest member back to itself. */
function shortestCycle(graph: Graph, component: string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort(compareCodePoints)[0];
  const parent = new Map<string, string>();
  const queue = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const node = queue[qi];
    const next = (graph.predecessors(node) ?? []).filter((p) => members.has(p)).sort(compareCodePoints);
    for (const p of next) {
      if (p === start) {
        const path = [node];
        for (let n = node; n !== start; ) { n = parent.get(n)!; path.push(n); }
        return [...path.reverse(), start];
      }
      if (!parent.has(p)) { parent.set(p, node); queue.push(p); }
    }
  }
  throw new Error(`no cycle through ${start} in a strongly connected component`);
}

/**
 * Kahn's algorithm with a code-point-ordered ready set: among the migrations whose requires are all
 * placed, the smallest name goes first. Without requires this is name order; requires only add constraints.
 */
export function topologicalOrder(requiredBy: ReadonlyMap<string, readonly string[]>): string[] {
  const indegree = new Map<string, number>();
  for (const n of requiredBy.keys()) indegree.set(n, 0);
  for (const dependents of requiredBy.values()) for (const d of dependents) indegree.set(d, indegree.get(d)! + 1);
  const ready = new NameHeap();
  for (const [n, d] of indegree) if (d === 0) ready.push(n);
  const order: string[] = [];
  for (let n = ready.pop(); n !== undefined; n = ready.pop()) {
    order.push(n);
    for (const s of requiredBy.get(n)!) {
      const d = indegree.get(s)! - 1;
      indegree.set(s, d);
      if (d === 0) ready.push(s);
    }
  }
  return order;
}

/** Names that `name` requires, directly or not, in apply order. */
export function requirementsOf(g: MigrationGraph, name: string): string[] {
  return reachable(g, name, (n) => g.byName.get(n)?.requires.map((r) => r.name) ?? []);
}

/** Names that require `name`, directly or not, in apply order. */
export function dependentsOf(g: MigrationGraph, name: string): string[] {
  return reachable(g, name, (n) => g.requiredBy.get(n) ?? []);
}

function reachable(g: MigrationGraph, name: string, next: (n: string) => readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = [...next(name)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...next(n));
  }
  return g.order.filter((m) => seen.has(m.name)).map((m) => m.name);
}
