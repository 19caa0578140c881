// Options shared by the commands that connect (up, down, status, resolve), and the Migrator they build.
import type { Argv } from 'yargs';
import { Migrator, type ProgressEvent, type ServerNotice } from '../index.js';
import { resolveOption } from './config.js';
import type { Context } from './context.js';
import { parseDuration } from './duration.js';
import { installSignalHandlers } from './signals.js';

export interface DatabaseArgs {
  connectWait?: string;
  lockWait?: string;
  lockTimeout?: string;
  statementTimeout?: string;
  allowDrift?: boolean;
}

export function withDatabaseOptions<T>(y: Argv<T>) {
  return y
    .option('connect-wait', { type: 'string', describe: 'Keep trying this long while the server is down [default: 0]' })
    .option('lock-wait', { type: 'string', describe: 'How long to wait for the migration lock [default: 60s]' })
    .option('lock-timeout', { type: 'string', describe: "PostgreSQL lock_timeout for migration statements; 0 = none [default: 10s]" })
    .option('statement-timeout', { type: 'string', describe: 'PostgreSQL statement_timeout for migration statements; 0 = none [default: none]' })
    .option('allow-drift', { type: 'boolean', describe: 'Run even if applied files were edited or deleted' })
    .group(['connect-wait', 'lock-wait', 'lock-timeout', 'statement-timeout', 'allow-drift'], 'Database options:');
}

/** Builds the Migrator from the resolved options; SIGINT/SIGTERM during its database work interrupt it cleanly. */
export function createMigrator(ctx: Context, argv: DatabaseArgs, onProgress?: (e: ProgressEvent) => void): Migrator {
  const raw = argv as Record<string, unknown>;
  const duration = (key: string, option: string, fallback: string) =>
    parseDuration(resolveOption<string | number>(raw, key, ctx.config, fallback), option);
  let removeHandlers: (() => void) | undefined;
  const migrator: Migrator = new Migrator({
    dir: ctx.dir,
    db: ctx.db,
    schema: ctx.schema,
    connectWaitMs: duration('connectWait', 'connect-wait', '0'),
    lockWaitMs: duration('lockWait', 'lock-wait', '60s'),
    lockTimeoutMs: duration('lockTimeout', 'lock-timeout', '10s'),
    statementTimeoutMs: duration('statementTimeout', 'statement-timeout', '0'),
    allowDrift: resolveOption(raw, 'allowDrift', ctx.config, false),
    onProgress,
    onNotice: (message) => ctx.output.info(ctx.output.err.dim(`sqlmig: ${message}`)),
    onServerNotice: (notice) => ctx.output.info(formatServerNotice(ctx, notice)),
    // Not while files are read or linted: that CPU-bound work is left to the signals' default effect.
    onDatabase: (working) => {
      removeHandlers?.();
      removeHandlers = working ? installSignalHandlers(migrator) : undefined;
    },
  });
  return migrator;
}

/** As psql prints it, with the migration in front: `app/users: NOTICE: …`, then DETAIL and HINT. */
function formatServerNotice(ctx: Context, n: ServerNotice): string {
  const { err } = ctx.output;
  const colour = n.severity === 'WARNING' ? err.yellow : err.dim;
  const lines = [`${n.migration}: ${n.severity}: ${n.message}`];
  if (n.detail) lines.push(`  DETAIL: ${n.detail}`);
  if (n.hint) lines.push(`  HINT: ${n.hint}`);
  return lines.map((line) => colour(line)).join('\n');
}
