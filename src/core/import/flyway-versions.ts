// Flyway's names and numbers: versions and how they compare, descriptions, the history's key of a
// repeatable migration, the names that sort as versions do, and the checksum Flyway records.
import { crc32 } from '../crc32.js';

/** `1.10.0`, `1_10` -> [1, 10]: Flyway compares versions part by part as numbers, trailing zeros ignored. */
export function flywayVersion(text: string): string[] {
  const parts = text.split(/[._]/).map((p) => p.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts;
}

export function compareFlywayVersions(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '0', y = b[i] ?? '0';
    const c = x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
    if (c !== 0) return c;
  }
  return 0;
}

/** What Flyway records as a migration's description: the file name's part after `__`, `_` read as a space. */
export function flywayDescription(namePart: string): string {
  return namePart.replace(/_/g, ' ');
}

/** What the history calls a repeatable migration, apart from versions: `R__` and its description. */
export function repeatableKey(description: string): string {
  return `R__${description}`;
}

/**
 * Names that sort as Flyway orders versions: each part zero-padded to the widest of its position, every
 * version given as many parts as the longest (`V1__`, `V1.1__`, `V10__` -> `01.0`, `01.1`, `10.0`).
 */
export function versionNames(versions: readonly string[][]): string[] {
  const parts = Math.max(1, ...versions.map((v) => v.length));
  const widths = Array.from({ length: parts }, (_, i) => Math.max(1, ...versions.map((v) => (v[i] ?? '0').length)));
  return versions.map((v) => widths.map((w, i) => (v[i] ?? '0').padStart(w, '0')).join('.'));
}

/**
 * Flyway's checksum of a script: CRC-32 of its lines read one by one without their line breaks (so of the
 * text without any CR or LF), the BOM dropped, as a signed 32-bit number — what `flyway_schema_history.checksum` holds.
 */
export function flywayChecksum(text: string): number {
  return crc32(new TextEncoder().encode(text.replace(/^\uFEFF/, '').replace(/[\r\n]/g, ''))) | 0;
}
