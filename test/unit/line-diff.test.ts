// Line diffs: the shortest edit script (checked against the longest common subsequence) and unified hunks.
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/core/line-diff.js';

/** Length of the longest common subsequence, by dynamic programming: what a shortest edit script keeps. */
function lcs(a: string[], b: string[]): number {
  const next = new Array<number>(b.length + 1).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    let diagonal = 0;
    for (let j = b.length - 1; j >= 0; j--) {
      const kept = next[j];
      next[j] = a[i] === b[j] ? diagonal + 1 : Math.max(next[j], next[j + 1]);
      diagonal = kept;
    }
  }
  return next[0];
}

describe('diffLines', () => {
  it('turns a into b and keeps as many lines as can be kept, on 2,000 random pairs', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = () => Array.from({ length: Math.floor(random() * 14) }, () => 'abcd'[Math.floor(random() * 4)]);
    for (let n = 0; n < 2000; n++) {
      const a = lines(), b = lines();
      const d = diffLines(a, b);
      expect(d.filter((l) => l.kind !== '+').map((l) => l.text)).toEqual(a);
      expect(d.filter((l) => l.kind !== '-').map((l) => l.text)).toEqual(b);
      expect(d.filter((l) => l.kind === ' ').length).toBe(lcs(a, b));
    }
  });

  it('costs little for a local change in a long text', () => {
    const a = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    const b = [...a.slice(0, 25_000), 'inserted', ...a.slice(25_001)];
    expect(diffLines(a, b).filter((l) => l.kind !== ' ')).toEqual([{ kind: '-', text: 'line 25000' }, { kind: '+', text: 'inserted' }]);
  });
});

describe('unifiedDiff', () => {
  const text = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n');

  it('is empty for equal texts', () => expect(unifiedDiff(text, text)).toEqual([]));

  it('prints hunks with their line ranges and context, merging changes whose context touches', () => {
    const after = text.replace('l3\n', 'l3 changed\n').replace('l8\n', '').replace('l19', 'l19\nnew');
    expect(unifiedDiff(text, after, 2)).toEqual([
      '@@ -1,10 +1,9 @@', ' l1', ' l2', '-l3', '+l3 changed', ' l4', ' l5', ' l6', ' l7', '-l8', ' l9', ' l10',
      '@@ -18,3 +17,4 @@', ' l18', ' l19', '+new', ' l20',
    ]);
  });

  it('numbers an empty side by the line before it, as diff -u does', () => {
    expect(unifiedDiff('a\nb', 'a\nb\nc', 0)).toEqual(['@@ -2,0 +3,1 @@', '+c']);
    expect(unifiedDiff('a\nb\nc', 'a\nc', 0)).toEqual(['@@ -2,1 +1,0 @@', '-b']);
  });
});
