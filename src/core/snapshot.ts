// Schema snapshots as data: object key -> description; and the readable difference of two of them.

/** `column app.users.email` -> `position=2 | type=text | not_null=true`. */
export type Snapshot = ReadonlyMap<string, string>;

export interface SnapshotDifference {
  object: string;
  change: 'still present' | 'missing' | 'changed';
  before?: string;
  after?: string;
}

/** Differences between the schema before a deploy and after its revert, in a stable order. */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDifference[] {
  const out: SnapshotDifference[] = [];
  for (const [object, value] of after) {
    if (!before.has(object)) out.push({ object, change: 'still present', after: value });
    else if (before.get(object) !== value) out.push({ object, change: 'changed', before: before.get(object), after: value });
  }
  for (const [object, value] of before) {
    if (!after.has(object)) out.push({ object, change: 'missing', before: value });
  }
  return out.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

/** `column app.users.email: still present after revert`, with the changed fields for a change. */
export function describeDifference(d: SnapshotDifference): string {
  if (d.change === 'still present') return `${d.object}: still present after revert`;
  if (d.change === 'missing') return `${d.object}: missing after revert (the revert dropped something the deploy did not create)`;
  const before = new Set(d.before!.split(' | '));
  const after = new Set(d.after!.split(' | '));
  const was = [...before].filter((f) => !after.has(f));
  const now = [...after].filter((f) => !before.has(f));
  return `${d.object}: changed after revert (was ${was.join(' | ') || '—'}; now ${now.join(' | ') || '—'})`;
}
