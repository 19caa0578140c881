// The text of a new migration file, as `sqlmig new` writes it.

export function migrationTemplate(name: string, requires: readonly string[]): string {
  const header = requires.length > 0 ? `-- requires: ${requires.join(', ')}\n` : '';
  return `${header}-- ${name}: describe what this migration changes, and why.

-- Write the deploy SQL here.

-- revert:
-- Write the SQL that undoes the deploy here (an empty revert section means "nothing to undo").
`;
}
