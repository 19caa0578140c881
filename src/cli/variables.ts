// Variable values from --var, SQLMIG_VAR_* and the config file's "vars": flags beat environment beat config.
import { isVariableName, UsageError } from '../index.js';
import type { Config } from './config.js';

const ENV_PREFIX = 'SQLMIG_VAR_';

/**
 * name -> value. `--var name=value` may repeat (the last one of a name wins). An empty environment
 * variable counts as unset, as for every option: a CI secret that expands to nothing is then reported
 * as a missing value instead of running with an empty one. No message ever shows a value.
 */
export function resolveVariables(flags: unknown, config: Config, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const values: Record<string, string> = {};
  const set = (name: string, value: string, from: string) => {
    const key = name.normalize('NFC');
    if (!isVariableName(key)) {
      throw new UsageError(`${from}: "${name}" is not a variable name`, {
        hint: 'a variable name holds letters, digits and _ and does not start with a digit, as in "-- vars: app_schema"',
      });
    }
    values[key] = value;
  };
  for (const [name, value] of Object.entries((config.vars ?? {}) as Record<string, string>)) set(name, value, 'sqlmig.config.json "vars"');
  for (const [key, value] of Object.entries(env)) {
    const name = key.slice(ENV_PREFIX.length);
    if (key.startsWith(ENV_PREFIX) && value !== undefined && value !== '' && isVariableName(name)) values[name.normalize('NFC')] = value;
  }
  const given = flags === undefined ? [] : Array.isArray(flags) ? flags : [flags];
  for (const arg of given.map(String)) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError('--var takes name=value, as in --var app_schema=tenant_a', { hint: 'one was given without a name and "="' });
    set(arg.slice(0, eq), arg.slice(eq + 1), '--var');
  }
  return values;
}
