// goose and sql-migrate files: one file, `-- +goose Up` / `-- +migrate Up` and `Down` annotations, statement blocks, no-transaction flags.
import type { Diagnostic } from '../diagnostic.js';
import { linesOf, note, type SourceLines } from './compose.js';

export interface AnnotatedFile {
  deploy: SourceLines;
  /** Absent when the file has no Down annotation. */
  revert?: SourceLines;
  /** The tool ran the file (or one direction of it) outside a transaction. */
  noTransaction: boolean;
  notes: Diagnostic[];
  /** False when the file cannot be converted (no Up annotation): the notes say why. */
  ok: boolean;
}

/**
 * Splits a file at its annotations (`-- +goose …` for `prefix` "goose"), compared without case or
 * spaces as the tools accept them. Statement blocks (StatementBegin/End) are dropped: sqlmig splits
 * statements itself and keeps dollar-quoted bodies whole. Comment lines above the Up annotation stay
 * at the top of the deploy SQL.
 */
export function splitAnnotated(path: string, text: string, prefix: 'goose' | 'migrate'): AnnotatedFile {
  const all = linesOf(path, text);
  const annotation = new RegExp(`^--\\s*\\+${prefix}(?![\\p{L}\\p{N}_])\\s*(.*)$`, 'iu');
  const notes: Diagnostic[] = [];
  const deploy: SourceLines = { path, lines: [] };
  let revert: SourceLines | undefined;
  let section: 'before' | 'up' | 'down' = 'before';
  let noTransaction = false;
  for (const line of all.lines) {
    const m = annotation.exec(line.text.trim());
    if (!m) {
      if (section === 'down') revert!.lines.push(line);
      else if (section === 'up' || line.text.trim() === '' || line.text.trim().startsWith('--')) deploy.lines.push(line);
      else notes.push(note('error', 'import-sql-before-up', path, line.line, `SQL before "-- +${prefix} Up": it belongs to no direction`, `move it below "-- +${prefix} Up"`));
      continue;
    }
    const words = m[1].toLowerCase().replace(/\s+/g, '');
    if (words.endsWith('notransaction')) noTransaction = true;
    if (words.startsWith('up')) {
      if (section !== 'before') notes.push(note('error', 'import-duplicate-annotation', path, line.line, `a second "-- +${prefix} Up"`, 'a file has one Up section'));
      section = 'up';
    } else if (words.startsWith('down')) {
      if (section === 'before') notes.push(note('error', 'import-down-before-up', path, line.line, `"-- +${prefix} Down" before "-- +${prefix} Up"`, 'put the Up section first'));
      if (section === 'down') notes.push(note('error', 'import-duplicate-annotation', path, line.line, `a second "-- +${prefix} Down"`, 'a file has one Down section'));
      section = 'down';
      revert = { path, lines: [] };
    } else if (words === 'envsubon' || words === 'envsuboff') {
      notes.push(note('warning', 'import-envsub', path, line.line, 'goose substitutes environment variables in this file; sqlmig sends the SQL as written',
        'replace each ${VAR} in the imported file by its value'));
    } else if (words !== 'statementbegin' && words !== 'statementend' && words !== 'notransaction') {
      notes.push(note('warning', 'import-annotation', path, line.line, `"${line.text.trim()}" is not converted: sqlmig has no such annotation`,
        'check what it did and edit the imported file by hand'));
    }
  }
  const ok = section !== 'before' && !notes.some((n) => n.severity === 'error');
  if (section === 'before') notes.push(note('error', 'import-no-up', path, 1, `no "-- +${prefix} Up" line: nothing to deploy`, `put "-- +${prefix} Up" above the deploy SQL`));
  else if (!revert) {
    notes.push(note('warning', 'import-no-down', path, 1, `no "-- +${prefix} Down" section: the imported migration has no revert section, so sqlmig down refuses to cross it`,
      'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
  }
  return { deploy, revert, noTransaction, notes, ok };
}
