// Schema snapshots as data: object key -> its fields; and the differences between two of them.

/**
 * What a snapshot says of one object, field by field: `{ position: '2', type: 'text', not_null: 'true' }`.
 * A field without a value is absent. Fields that verify reads for their meaning (core/difference-class.ts):
 * `position` (a column's place among its table's columns), `comment`, `body` (a function's or
 * trigger's code as written) and `definition` (a view's query, an index's or constraint's text).
 */
export type SnapshotFields = Readonly<Record<string, string>>;

/** `column app.users.email` -> its fields. */
export type Snapshot = ReadonlyMap<string, SnapshotFields>;

export interface SnapshotDifference {
  object: string;
  change: 'still present' | 'missing' | 'changed';
  before?: SnapshotFields;
  after?: SnapshotFields;
}

/** Differences between the schema before a deploy and after its revert, in a stable order. */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDifference[] {
  const out: SnapshotDifference[] = [];
  for (const [object, fields] of after) {
    const was = before.get(object);
    if (!was) out.push({ object, change: 'still present', after: fields });
    else if (changedFields(was, fields).length > 0) out.push({ object, change: 'changed', before: was, after: fields });
  }
  for (const [object, fields] of before) {
    if (!after.has(object)) out.push({ object, change: 'missing', before: fields });
  }
  return out.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

/** The names of the fields whose values differ (one side may lack the field), in the order they appear. */
export function changedFields(before: SnapshotFields, after: SnapshotFields): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names.filter((name) => before[name] !== after[name]);
}

/** `column app.users.email: still present after revert`, with the changed fields for a change. */
export function describeDifference(d: SnapshotDifference): string {
  if (d.change === 'still present') return `${d.object}: still present after revert`;
  if (d.change === 'missing') return `${d.object}: missing after revert (the revert dropped something the deploy did not create)`;
  const names = changedFields(d.before!, d.after!);
  // A text of several lines (a body, a view's query) is named here; verify prints its line diff.
  const long = names.filter((n) => isMultiline(d.before![n]) || isMultiline(d.after![n]));
  const short = names.filter((n) => !long.includes(n));
  const show = (fields: SnapshotFields) => short.filter((n) => fields[n] !== undefined).map((n) => `${n}=${fields[n]}`).join(' | ') || '—';
  const parts = [...(short.length > 0 ? [`was ${show(d.before!)}`, `now ${show(d.after!)}`] : []), ...long.map((n) => `${n} differs`)];
  return `${d.object}: changed after revert (${parts.join('; ')})`;
}

export function isMultiline(value: string | undefined): boolean {
  return value !== undefined && value.includes('\n');
}

/**
 * Fields from a description written as `name=value | name=value` by an engine's catalog query; a
 * part without a name (a whole view text) is `unnamed`. A ` | ` splits only where a field name
 * follows, so a body that holds one stays whole.
 */
export function fieldsOf(description: string, unnamed = 'definition'): SnapshotFields {
  const fields: Record<string, string> = {};
  if (description === '') return fields;
  for (const part of description.split(/ \| (?=[a-z_][a-z_ ]*=)/)) {
    const named = /^([a-z_][a-z_ ]*)=/.exec(part);
    if (named) fields[named[1]] = part.slice(named[0].length);
    else fields[unnamed] = part;
  }
  return fields;
}
