import { describe, expect, it } from 'vitest';
import { buildGraph, dependentsOf, requirementsOf } from '../../src/core/graph.js';
import type { Migration } from '../../src/core/migration.js';
import { graphJson, renderGraph } from '../../src/core/render/graph.js';
import { compareCodePoints } from '../../src/core/strings.js';

function migration(name: string, requires: string[] = [], repeatable = false): Migration {
  return {
    name, path: `db/${name}.sql`, text: '', transactional: true, foreignKeys: true, allow: [], checksum: '', repeatable, vars: [],
    requires: requires.map((r, i) => ({ name: r, line: 1, column: 14 + i * 3 })),
    deploy: { sql: 'select 1', offset: 0 }, revert: { sql: '', offset: 0 },
  };
}
const graphOf = (spec: Record<string, string[]>) => buildGraph(Object.entries(spec).map(([n, r]) => migration(n, r)));
const orderOf = (spec: Record<string, string[]>) => graphOf(spec).value!.order.map((m) => m.name);
const errorsOf = (spec: Record<string, string[]>) => graphOf(spec).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('buildGraph: order', () => {
  it('applies in name order without requires, in code-point order (not locale order)', () => {
    expect(orderOf({ b: [], a: [], Q: [], 'a-b': [], a_b: [], 'é': [], z: [] })).toEqual(['Q', 'a', 'a-b', 'a_b', 'b', 'z', 'é']);
  });

  it('orders astral characters after U+E000–U+FFFF (code points, not UTF-16 units)', () => {
    expect(orderOf({ '\u{1F600}': [], '\uFF21': [] })).toEqual(['\uFF21', '\u{1F600}']);
  });

  it('lets requires add constraints only', () => {
    expect(orderOf({ '001': [], '002': ['003'], '003': [], '004': [] })).toEqual(['001', '003', '002', '004']);
  });

  it('orders a diamond', () => {
    expect(orderOf({ d: ['b', 'c'], c: ['a'], b: ['a'], a: [] })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is the lexicographically smallest topological order (against a brute-force oracle)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 6);
      const names = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + Math.floor(random() * 26)) + i);
      const spec: Record<string, string[]> = {};
      // Edges only from earlier to later positions in a random permutation: always acyclic.
      const perm = [...names].sort(() => random() - 0.5);
      perm.forEach((name, i) => { spec[name] = perm.slice(0, i).filter(() => random() < 0.3); });
      expect(orderOf(spec)).toEqual(bruteForceSmallestOrder(spec));
    }
  });

  it('answers what a name requires and what requires it', () => {
    const g = graphOf({ a: [], b: ['a'], c: ['b'], d: ['a'], e: [] }).value!;
    expect(requirementsOf(g, 'c')).toEqual(['a', 'b']);
    expect(dependentsOf(g, 'a')).toEqual(['b', 'c', 'd']);
    expect(dependentsOf(g, 'e')).toEqual([]);
  });
});

function bruteForceSmallestOrder(spec: Record<string, string[]>): string[] {
  const names = Object.keys(spec);
  let best: string[] | undefined;
  const permute = (prefix: string[], rest: string[]) => {
    if (rest.length === 0) {
      const valid = prefix.every((n, i) => spec[n].every((r) => prefix.indexOf(r) < i));
      if (valid && (!best || compareSequences(prefix, best) < 0)) best = [...prefix];
      return;
    }
    rest.forEach((n, i) => permute([...prefix, n], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], names);
  return best!;
}

function compareSequences(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCodePoints(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

describe('buildGraph: errors', () => {
  it('reports unknown requires with a suggestion', () => {
    const d = graphOf({ 'app/users': [], b: ['app/user', 'nothing_like_it'] }).diagnostics;
    expect(d.map((x) => [x.code, x.hint])).toEqual([
      ['unknown-require', 'did you mean "app/users"?'],
      ['unknown-require', expect.stringContaining('relative to the migrations folder')],
    ]);
  });

  it('suggests dropping .sql', () => {
    expect(graphOf({ a: [], b: ['a.sql'] }).diagnostics[0].hint).toBe('write the name without ".sql": a');
  });

  it('reports self-requires', () => {
    expect(errorsOf({ a: ['a'] })).toEqual(['self-require: "a" requires itself']);
  });

  it('reports names that differ only by case or normalisation as duplicates', () => {
    expect(errorsOf({ 'a/Users': [], 'a/users': [] })).toEqual(['duplicate-name: duplicate migration name "a/users": also db/a/Users.sql']);
    const nfc = migration('caf\u00e9');
    const nfd = { ...migration('caf\u00e9'), path: 'db/cafe\u0301.sql' };
    expect(buildGraph([nfc, nfd]).diagnostics.map((d) => d.code)).toEqual(['duplicate-name']);
  });

  it('prints each cycle once, from its smallest name, following requires', () => {
    expect(errorsOf({ c: ['a'], a: ['b'], b: ['c'], x: ['y'], y: ['x'], z: [] })).toEqual([
      'cycle: requires cycle: a -> b -> c -> a',
      'cycle: requires cycle: x -> y -> x',
    ]);
  });

  it('reports every problem in one pass', () => {
    expect(errorsOf({ a: ['a', 'missing'], b: ['c'], c: ['b'] }).map((e) => e.split(':')[0]))
      .toEqual(['self-require', 'unknown-require', 'cycle']);
  });
});

describe('renderGraph: repeatable files are marked', () => {
  const order = [migration('t'), migration('v', ['t'], true), migration('w', ['v'])];

  it('in text, dot, mermaid and json', () => {
    expect(renderGraph(order, 'text')).toBe('1. t\n2. v  (requires t; repeatable)\n3. w  (requires v)');
    expect(renderGraph(order, 'dot')).toContain('  "v" [style=dashed];\n  "w";');
    expect(renderGraph(order, 'mermaid').split('\n')).toContain('  style m2 stroke-dasharray: 5 5');
    expect(renderGraph(order, 'mermaid')).not.toContain('style m1');
    expect(graphJson(order).migrations.map((m) => m.repeatable)).toEqual([false, true, false]);
  });
});
