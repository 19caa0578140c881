// The text of a new migration file, as `sqlmig new` writes it.

/** Header lines beyond `requires`: the file's variables, and whether it is repeatable. */
export interface TemplateOptions {
  vars?: readonly string[];
  repeatable?: boolean;
}

export function migrationTemplate(name: string, requires: readonly string[], options: TemplateOptions = {}): string {
  const { vars = [], repeatable = false } = options;
  const header = (requires.length > 0 ? `-- requires: ${requires.join(', ')}\n` : '')
    + (repeatable ? '-- repeatable: yes\n' : '')
    + (vars.length > 0 ? `-- vars: ${vars.join(', ')}\n` : '');
  return `${header}-- ${name}: describe what this migration changes, and why.

-- Write the deploy SQL here.

-- revert:
-- Write the SQL that undoes the deploy here (an empty revert section means "nothing to undo").
`;
}
