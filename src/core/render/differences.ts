// verify's differences as lines: breaking ones with their changed code as a short line diff, cosmetic ones as one `note:` each.
import { tableOfColumn, type ClassifiedDifference, type FieldChangeKind } from '../difference-class.js';
import { unifiedDiff } from '../line-diff.js';
import { describeDifference, isMultiline } from '../snapshot.js';

/** Unchanged lines shown around each change of a body. */
const CONTEXT = 3;

/** What a different column order changes for the application. */
export const COLUMN_ORDER_EFFECT = 'affects SELECT *, INSERT without a column list and COPY without a column list';

/**
 * Breaking differences first, one line each, followed by a unified diff of each changed text of
 * several lines (indented two spaces); then a `note:` line per cosmetic difference, the column-order
 * changes of one table together on one line.
 */
export function renderDifferences(differences: readonly ClassifiedDifference[]): string[] {
  const lines: string[] = [];
  for (const d of differences.filter((x) => x.class === 'breaking')) {
    lines.push(describeDifference(d));
    for (const f of d.fields ?? []) {
      const before = d.before![f.field], after = d.after![f.field];
      if (f.kind === 'changed' && before !== undefined && after !== undefined && (isMultiline(before) || isMultiline(after))) {
        lines.push(`${f.field}:`, ...unifiedDiff(before, after, CONTEXT).map((l) => `  ${l}`));
      }
    }
  }
  return [...lines, ...renderNotes(differences.filter((x) => x.class === 'cosmetic')).map((n) => `note: ${n}`)];
}

function renderNotes(cosmetic: readonly ClassifiedDifference[]): string[] {
  // Column order is a property of a table: the columns that moved, gathered under it.
  const moved = new Map<string, string[]>();
  const notes: { object: string; text: string }[] = [];
  for (const d of cosmetic) {
    const kinds = new Set<FieldChangeKind>(d.fields!.map((f) => f.kind));
    const table = tableOfColumn(d.object) ?? (d.object.startsWith('table ') ? d.object.slice('table '.length) : undefined);
    if (kinds.has('column-order') && table !== undefined) {
      const list = moved.get(table) ?? [];
      if (d.before!.position !== undefined && d.before!.position !== d.after!.position) {
        list.push(`${d.object.slice(`column ${table}.`.length)} ${d.before!.position} -> ${d.after!.position}`);
      }
      moved.set(table, list);
      kinds.delete('column-order');
    }
    const what = [...kinds].map((k) => describeKind(d, k));
    if (what.length > 0) notes.push({ object: d.object, text: `${d.object}: ${what.join('; ')} only` });
  }
  for (const [table, columns] of moved) {
    const which = columns.length > 0 ? ` (${columns.join(', ')})` : '';
    notes.push({ object: `table ${table}`, text: `table ${table}: column order only${which}; ${COLUMN_ORDER_EFFECT}` });
  }
  return notes.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0)).map((n) => n.text);
}

function describeKind(d: ClassifiedDifference, kind: FieldChangeKind): string {
  if (kind === 'comment') {
    const show = (c: string | undefined) => (c === undefined ? 'none' : JSON.stringify(c));
    return `comment (was ${show(d.before!.comment)}; now ${show(d.after!.comment)})`;
  }
  const where = d.fields!.filter((f) => f.kind === kind).map((f) => f.field).join(', ');
  return kind === 'formatting' ? `whitespace or comments inside its ${where}` : `${where} differs`;
}
