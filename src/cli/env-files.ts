// `.env` in the working directory, or the files of --env-file: they fill only what the environment leaves unset.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, parseEnvFile, UsageError, type Diagnostic } from '../index.js';

export const DEFAULT_ENV_FILE = '.env';

/**
 * `--env-file PATH` (repeatable) names the files, else `.env` in `cwd` when there is one; `--no-env-file`
 * reads none. A variable the environment has, even empty, is left alone; of two files setting one, the
 * first wins (within a file, the last line). All malformed lines of all files are one input error.
 * The values go into `env` and are never printed.
 */
export function loadEnvFiles(option: readonly (string | false)[] | false | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): void {
  const given = option === false ? [false as const] : option ?? [];
  if (given.includes(false)) return;
  const paths = given.length > 0 ? (given as string[]) : existsSync(resolve(cwd, DEFAULT_ENV_FILE)) ? [DEFAULT_ENV_FILE] : [];
  const fromEnvironment = new Set(Object.keys(env));
  const problems: Diagnostic[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, path), 'utf8');
    } catch {
      throw new UsageError(`--env-file ${path}: no such file`, { hint: 'name an existing file, or drop --env-file to read .env of the working directory' });
    }
    const parsed = parseEnvFile(text, path, (name) => env[name]);
    problems.push(...parsed.diagnostics);
    const values = new Map(parsed.value.map((e) => [e.key, e.value]));
    for (const [key, value] of values) if (!fromEnvironment.has(key) && env[key] === undefined) env[key] = value;
  }
  if (problems.length > 0) throw new InputError(problems);
}
