// Migration names: derived from relative paths, validated, and compared portably.

/** Letters, marks and digits of any script, `_`, `-`, `.`; segments joined by `/`. */
const NAME_SEGMENT = /^[\p{L}\p{M}\p{N}_.\-]+$/u;

/**
 * Whether a relative path (with `/`) is skipped: only `.sql` files count, and none below a file or folder
 * whose name starts with `.` or `_` (drafts, editor lock files). Editor backups (`x.sql~`, `.x.sql.swp`,
 * `#x.sql#`) fall out by these two rules.
 */
export function isIgnoredPath(relativePath: string): boolean {
  return !relativePath.endsWith('.sql')
    || relativePath.split('/').some((segment) => segment.startsWith('.') || segment.startsWith('_'));
}

/** `auth/roles.sql` -> `auth/roles`, NFC-normalised. */
export function nameFromPath(relativePath: string): string {
  return relativePath.replace(/\.sql$/, '').normalize('NFC');
}

/** Why a name is invalid, or undefined when it is fine. */
export function invalidNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '') return 'the name has an empty path segment';
    if (segment === '.' || segment === '..') return `the name has a "${segment}" segment`;
    if (!NAME_SEGMENT.test(segment)) {
      const bad = [...segment].find((ch) => !NAME_SEGMENT.test(ch));
      return `the name holds ${describeChar(bad ?? '')}; allowed are letters, digits, "_", "-", "." and "/"`;
    }
  }
  return undefined;
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || cp === 0x7f ? `the control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`;
}

/** The key under which two names count as the same: NFC and case-folded (file systems may fold case). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
