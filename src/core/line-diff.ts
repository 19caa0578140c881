// Line diffs for verify's reports: Myers' shortest edit script, printed as unified hunks with a few lines of context.

export interface DiffLine {
  /** ' ' kept, '-' only before, '+' only after. */
  kind: ' ' | '-' | '+';
  text: string;
}

/** Beyond this many differing lines the middle is shown as removed and added whole: past that a finer diff helps no reader. */
const MAX_EDITS = 2000;

/**
 * The lines of `a` and `b` as kept, removed and added, in order, with as few changes as possible
 * (Myers 1986). The common head and tail are matched first, so a local change costs little whatever
 * the text's length.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length, endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const keep = (text: string): DiffLine => ({ kind: ' ', text });
  return [...a.slice(0, head).map(keep), ...middleDiff(a.slice(head, endA), b.slice(head, endB)), ...a.slice(endA).map(keep)];
}

function middleDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length, m = b.length;
  const whole = () => [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  if (n === 0 || m === 0) return whole();
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  // v[k + offset]: the furthest x reached on diagonal k = x - y; trace[d] keeps v[-d..d] as it was before round d.
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return whole();
}

/** Walks the rounds back from the end, one edit per round and the run of equal lines before it. */
function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], last: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length, y = b.length;
  for (let d = last; d > 0; d--) {
    const before = trace[d];
    const at = (k: number) => before[k + d];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevX = at(down ? k + 1 : k - 1);
    const prevY = prevX - (down ? k + 1 : k - 1);
    // After the edit the walk stood at (prevX, prevY + 1) for an insertion, (prevX + 1, prevY) for a deletion.
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      out.push({ kind: ' ', text: a[--x] });
      y--;
    }
    out.push(down ? { kind: '+', text: b[prevY] } : { kind: '-', text: a[prevX] });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    out.push({ kind: ' ', text: a[--x] });
    y--;
  }
  return out.reverse();
}

/**
 * `before` and `after` as unified diff hunks: `@@ -3,4 +3,5 @@`, then each line prefixed with ' ',
 * '-' or '+', with `context` unchanged lines around each change. Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, context = 3): string[] {
  const lines = diffLines(before.split('\n'), after.split('\n'));
  const changed = lines.flatMap((l, i) => (l.kind === ' ' ? [] : [i]));
  if (changed.length === 0) return [];
  // Ranges of `lines` to show: each change with its context, merged where they touch.
  const ranges: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context), to = Math.min(lines.length, i + context + 1);
    const previous = ranges.at(-1);
    if (previous && from <= previous[1]) previous[1] = Math.max(previous[1], to);
    else ranges.push([from, to]);
  }
  // Line numbers in each text at each index of `lines`.
  const startA: number[] = [], startB: number[] = [];
  let lineA = 1, lineB = 1;
  for (const l of lines) {
    startA.push(lineA);
    startB.push(lineB);
    if (l.kind !== '+') lineA++;
    if (l.kind !== '-') lineB++;
  }
  const out: string[] = [];
  for (const [from, to] of ranges) {
    const hunk = lines.slice(from, to);
    const countA = hunk.filter((l) => l.kind !== '+').length, countB = hunk.filter((l) => l.kind !== '-').length;
    // As diff -u: an empty side is numbered by the line before it.
    const header = (start: number, count: number) => `${count === 0 ? start - 1 : start},${count}`;
    out.push(`@@ -${header(startA[from], countA)} +${header(startB[from], countB)} @@`);
    for (const l of hunk) out.push(`${l.kind}${l.text}`);
  }
  return out;
}
