// SQL text helpers for MySQL and MariaDB: identifier and string quoting.

/** Backtick quoting: any name is safe once its own backticks are doubled. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * A string literal of text without backslashes, read the same whatever the session's sql_mode (a
 * migration may have set NO_BACKSLASH_ESCAPES): its quotes doubled. Values travel as bind parameters.
 */
export function quoteString(value: string): string {
  if (value.includes('\\')) throw new Error(`quoteString: a backslash reads differently by sql_mode: ${value}`);
  return `'${value.replace(/'/g, "''")}'`;
}
