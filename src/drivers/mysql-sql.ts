// SQL text helpers for MySQL and MariaDB: identifier quoting.

/** Backtick quoting: any name is safe once its own backticks are doubled. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
