// What every command gets: resolved global options and the output.
import { DIALECT_NAMES, dialectNamed, dialectOfUrl, isDialectName, UsageError, type Dialect } from '../index.js';
import { readConfig, resolveOption, type Config } from './config.js';
import { loadEnvFiles } from './env-files.js';
import { Output } from './output.js';
import { resolveVariables } from './variables.js';

export interface GlobalArgs {
  /** --env-file PATH (repeatable); [false] for --no-env-file. */
  envFile?: (string | false)[] | false;
  dir?: string;
  db?: string;
  schema?: string;
  dialect?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  var?: string | string[];
}

export interface Context {
  dir: string;
  /** The database URL from --db, DATABASE_URL or the config; undefined means the embedded default. */
  db?: string;
  schema: string;
  /** The dialect files are read in: the database's, or --dialect for commands without one (default postgres). */
  dialect: Dialect;
  config: Config;
  output: Output;
  /** Variable values (--var, SQLMIG_VAR_*, config "vars"): never printed. */
  vars: Record<string, string>;
}

export function createContext(argv: GlobalArgs & Record<string, unknown>): Context {
  // First: what the .env files set counts as environment for every option below.
  loadEnvFiles(argv.envFile);
  const config = readConfig();
  const output = new Output({
    json: resolveOption(argv, 'json', config, false),
    quiet: resolveOption(argv, 'quiet', config, false),
    color: resolveOption<boolean>(argv, 'color', config),
  });
  const db = resolveOption<string>(argv, 'db', config);
  return {
    dir: resolveOption(argv, 'dir', config, './migrations'),
    db,
    schema: resolveOption(argv, 'schema', config, 'sqlmig'),
    dialect: resolveDialect(resolveOption<string>(argv, 'dialect', config), db),
    config,
    output,
    vars: resolveVariables(argv.var, config),
  };
}

/** --dialect (or config `dialect`) and the database URL's engine must agree; either one decides. */
function resolveDialect(named: string | undefined, db: string | undefined): Dialect {
  if (named !== undefined && !isDialectName(named)) {
    throw new UsageError(`unknown dialect "${named}"`, { hint: `the dialects are ${DIALECT_NAMES.join(', ')}` });
  }
  const ofDb = db === undefined ? undefined : dialectOfUrl(db);
  if (named !== undefined && ofDb !== undefined && named !== ofDb) {
    throw new UsageError(`--dialect ${named} disagrees with the database, which speaks ${ofDb}`, {
      hint: 'drop --dialect: with a database URL, its engine decides',
    });
  }
  return dialectNamed(ofDb ?? named ?? 'postgres');
}
