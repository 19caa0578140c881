// Global options from flags, environment and sqlmig.config.json: flags beat env beat config beat defaults.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../index.js';

export const CONFIG_FILE = 'sqlmig.config.json';

/** Options a config file may set, with their types (the CLI's long option names). */
const CONFIG_KEYS: Record<string, 'string' | 'boolean' | 'duration' | 'vars'> = {
  dir: 'string', db: 'string', schema: 'string', dialect: 'string', json: 'boolean', quiet: 'boolean', color: 'boolean',
  connectWait: 'duration', lockWait: 'duration', lockTimeout: 'duration', statementTimeout: 'duration', allowDrift: 'boolean',
  vars: 'vars',
  targets: 'string', targetsFrom: 'string', targetsQuery: 'string',
};

const ENV: Record<string, string> = { dir: 'SQLMIG_DIR', db: 'DATABASE_URL', schema: 'SQLMIG_SCHEMA', dialect: 'SQLMIG_DIALECT' };

/** `vars` (variable values, name -> value) is the one option that holds an object. */
export type Config = Record<string, string | number | boolean | Readonly<Record<string, string>>>;

export function readConfig(cwd = process.cwd()): Config {
  const file = resolve(cwd, CONFIG_FILE);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${CONFIG_FILE} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${CONFIG_FILE} must hold a JSON object`, { hint: 'for example {"dir": "db/migrations"}' });
  }
  const config: Config = {};
  for (const [key, value] of Object.entries(parsed)) {
    const type = CONFIG_KEYS[key];
    if (!type) throw new UsageError(`${CONFIG_FILE}: unknown option "${key}"`, { hint: `known options: ${Object.keys(CONFIG_KEYS).join(', ')}` });
    if (type === 'vars') {
      config[key] = readVars(value);
      continue;
    }
    // Durations are "10s", "500ms" or a number of seconds; parseDuration checks the form later.
    const ok = type === 'duration' ? typeof value === 'string' || typeof value === 'number' : typeof value === type;
    if (!ok) throw new UsageError(`${CONFIG_FILE}: "${key}" must be a ${type === 'duration' ? 'duration such as "10s"' : type}`);
    config[key] = value as string | number | boolean;
  }
  return config;
}

/** `"vars": {"app_schema": "tenant_a"}`: every value a string (the name is checked where values are merged). */
function readVars(value: unknown): Record<string, string> {
  const hint = 'for example "vars": {"app_schema": "tenant_a"}';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${CONFIG_FILE}: "vars" must be an object`, { hint });
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UsageError(`${CONFIG_FILE}: the value of variable "${name}" in "vars" must be a string`, { hint });
  }
  return value as Record<string, string>;
}

/** Fills in what the command line left unset: from the environment, then the config file, then `defaults`. */
export function resolveOption<T extends string | number | boolean>(
  argv: Record<string, unknown>, key: string, config: Config, fallback: T,
): T;
export function resolveOption<T extends string | number | boolean>(
  argv: Record<string, unknown>, key: string, config: Config,
): T | undefined;
export function resolveOption(argv: Record<string, unknown>, key: string, config: Config, fallback?: unknown): unknown {
  if (argv[key] !== undefined) return argv[key];
  const env = ENV[key] ? process.env[ENV[key]] : undefined;
  if (env !== undefined && env !== '') return env;
  if (config[key] !== undefined) return config[key];
  return fallback;
}
