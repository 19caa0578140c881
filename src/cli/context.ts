// What every command gets: resolved global options and the output.
import { readConfig, resolveOption, type Config } from './config.js';
import { Output } from './output.js';

export interface GlobalArgs {
  dir?: string;
  db?: string;
  schema?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export interface Context {
  dir: string;
  /** The database URL from --db, DATABASE_URL or the config; undefined means the embedded default. */
  db?: string;
  schema: string;
  config: Config;
  output: Output;
}

export function createContext(argv: GlobalArgs & Record<string, unknown>): Context {
  const config = readConfig();
  const output = new Output({
    json: resolveOption(argv, 'json', config, false),
    quiet: resolveOption(argv, 'quiet', config, false),
    color: resolveOption<boolean>(argv, 'color', config),
  });
  return {
    dir: resolveOption(argv, 'dir', config, './migrations'),
    db: resolveOption<string>(argv, 'db', config),
    schema: resolveOption(argv, 'schema', config, 'sqlmig'),
    config,
    output,
  };
}
