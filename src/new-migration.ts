// `sqlmig new`: writes a migration file from the template, never overwriting one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from './core/diagnostic.js';
import { isVariableName } from './core/directives.js';
import { invalidNameReason, nameKey } from './core/name.js';
import { closest } from './core/strings.js';
import { migrationTemplate } from './core/template.js';
import { InputError } from './errors.js';
import { scanFolder } from './scan.js';

export interface NewMigrationOptions {
  dir: string;
  name: string;
  requires?: readonly string[];
  /** Variables the file declares (`-- vars: a, b`). */
  vars?: readonly string[];
  /** `-- repeatable: yes`: re-applied whenever it changes. */
  repeatable?: boolean;
}

export interface NewMigrationResult {
  name: string;
  path: string;
}

/** Creates `dir/NAME.sql` (and its folders). The name and each required name are checked first. */
export async function newMigration(options: NewMigrationOptions): Promise<NewMigrationResult> {
  const name = options.name.replace(/\.sql$/, '').normalize('NFC');
  const requires = (options.requires ?? []).map((r) => r.normalize('NFC'));
  const vars = [...new Set((options.vars ?? []).map((v) => v.normalize('NFC')))];
  mkdirSync(options.dir, { recursive: true });
  const existing = (await scanFolder(options.dir)).map((s) => s.name);
  const problems: Diagnostic[] = [];
  const problem = (code: string, message: string, hint: string) => problems.push({ severity: 'error', code, message, hint });

  const reason = invalidNameReason(name);
  if (reason) problem('invalid-name', `invalid migration name "${name}": ${reason}`, 'for example: sqlmig new auth/add_users');
  if (name.split('/').some((s) => s.startsWith('.') || s.startsWith('_'))) {
    problem('invalid-name', `"${name}" would be ignored`, 'names (and folders) starting with "." or "_" are skipped by the scanner');
  }
  const clash = existing.find((e) => nameKey(e) === nameKey(name));
  if (clash) problem('duplicate-name', `a migration named "${clash}" already exists`, 'choose another name; files are never overwritten');
  for (const r of requires) {
    if (r === name) problem('self-require', `"${name}" cannot require itself`, 'remove it from --requires');
    else if (!existing.includes(r)) {
      const near = closest(r, existing, 2);
      problem('unknown-require', `unknown migration "${r}" in --requires`, near ? `did you mean "${near}"?` : 'run sqlmig graph to list the names');
    }
  }
  for (const v of vars.filter((n) => !isVariableName(n))) {
    problem('invalid-variable-name', `"${v}" in --vars is not a variable name`, 'a variable name holds letters, digits and _ and does not start with a digit');
  }
  if (problems.length > 0) throw new InputError(problems);

  const path = join(options.dir, `${name}.sql`);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx' fails if the file appeared meanwhile: never overwrite.
    writeFileSync(path, migrationTemplate(name, requires, { vars, repeatable: options.repeatable }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new InputError([{ severity: 'error', code: 'duplicate-name', message: `${path} already exists`, hint: 'files are never overwritten' }]);
  }
  return { name, path };
}
