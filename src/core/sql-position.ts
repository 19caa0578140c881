// Maps a database error position (characters into the SQL sent) back to the migration file.
import type { Migration, Section } from './migration.js';
import { codePointToOffset, LineIndex } from './text.js';
import { fileOffsetOf } from './variables.js';

/**
 * PostgreSQL reports `position` as a 1-based count of characters (code points, not UTF-16 units) into
 * the query string. `sent` is that string, found at `startInSection` within `section` — whose SQL may
 * hold variables' values, in which case the offset maps back to their placeholders in the file.
 */
export function filePositionOf(
  migration: Migration, section: Section, sent: string, startInSection: number, position: number,
): { line: number; column: number; offset: number } {
  const offset = fileOffsetOf(section, startInSection + codePointToOffset(sent, position - 1));
  return { ...new LineIndex(migration.text).position(offset), offset };
}
