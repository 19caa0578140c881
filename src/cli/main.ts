// The sqlmig executable: parses the command line, runs one command, exits with its code.
import './working-directory.js';
import type { Argv } from 'yargs';
// yargs' CommonJS build: its ES module build wraps help text every N characters, splitting words
// (fixed upstream in yargs 18). Bundled, with the rest of the CLI, into the code cache.
import yargs from 'yargs/yargs';
import { hideBin } from 'yargs/helpers';
import { DIALECT_NAMES, SQLMIG_VERSION, UsageError } from '../index.js';
import { rejectRepeatedOptions } from './args.js';
import * as down from './commands/down.js';
import * as dump from './commands/dump.js';
import * as graph from './commands/graph.js';
import * as importCommand from './commands/import.js';
import * as lint from './commands/lint.js';
import * as newCommand from './commands/new.js';
import * as resolve from './commands/resolve.js';
import * as status from './commands/status.js';
import * as up from './commands/up.js';
import * as verify from './commands/verify.js';
import { createContext, type Context } from './context.js';
import { Output } from './output.js';
import { reportError } from './report-error.js';

interface CommandModule {
  command: string;
  describe: string;
  builder(y: Argv): Argv<any>;
  run(ctx: Context, argv: any): Promise<number>;
}

const COMMANDS: CommandModule[] = [up, down, status, graph, lint, verify, newCommand, resolve, importCommand, dump];

export async function main(args: string[]): Promise<number> {
  let exitCode = 0;
  let output = new Output({ json: args.includes('--json'), quiet: false });
  const parser = yargs(args)
    .scriptName('sqlmig')
    .usage('$0 <command> [options]\n\nDatabase migrations as a folder of plain SQL files.')
    .option('dir', { type: 'string', describe: 'Migrations folder [default: ./migrations, env SQLMIG_DIR]' })
    .option('db', { type: 'string', describe: 'Database URL (postgres://…, pglite:PATH, sqlite:PATH) [env DATABASE_URL; default: pglite:.sqlmig/pglite, none under CI]' })
    .option('schema', { type: 'string', describe: 'Schema of the history tables [default: sqlmig]' })
    .option('dialect', { type: 'string', choices: DIALECT_NAMES, describe: 'SQL dialect for commands without a database (graph, lint, new) [default: the database\'s, else postgres]' })
    .option('json', { type: 'boolean', describe: 'Machine-readable output on stdout' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'Only errors and results' })
    .option('color', { type: 'boolean', describe: 'Colours (default: on a TTY; --no-color turns them off)' })
    .option('var', { type: 'string', array: true, nargs: 1, describe: 'A variable\'s value, name=value; repeat for more [env SQLMIG_VAR_name]' })
    .option('env-file', { type: 'string', array: true, describe: 'Read variables from this file (repeatable) [default: .env of the working directory; --no-env-file: none]' })
    .group(['dir', 'db', 'schema', 'dialect', 'json', 'quiet', 'color', 'var', 'env-file', 'help', 'version'], 'Global options:')
    .epilogue('Options may also be set in sqlmig.config.json; flags beat environment beat config.\nDocs: README.md')
    .version(SQLMIG_VERSION)
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .wrap(process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 100)
    .fail((message, error) => {
      if (error) throw error;
      const command = args.find((a) => !a.startsWith('-'));
      if (/^Did you mean/.test(message)) throw new UsageError(`unknown command "${command}". ${message}`);
      throw new UsageError(message, { hint: command ? `sqlmig ${command} --help lists its options` : 'sqlmig --help lists the commands' });
    });
  parser.middleware((argv) => rejectRepeatedOptions(argv, parser), true);
  skipHelpCache(parser);
  for (const module of COMMANDS) {
    parser.command(module.command, module.describe, module.builder, async (argv) => {
      const ctx = createContext(argv);
      output = ctx.output;
      exitCode = await module.run(ctx, argv);
    });
  }
  try {
    await parser.parseAsync();
  } catch (error) {
    return reportError(error, output);
  }
  return exitCode;
}

/**
 * Before running a command, yargs renders the whole help text in case the command fails and the help
 * is shown with the error: a tenth of the start-up of `graph`. sqlmig never shows it then (its `fail`
 * throws a UsageError with a hint instead), so the rendering is skipped; `--help` renders its own.
 */
function skipHelpCache(parser: Argv): void {
  const internals = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.().getUsageInstance?.();
  if (internals?.cacheHelpMessage) internals.cacheHelpMessage = () => undefined;
}

// A reader that stops early (`sqlmig graph | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
