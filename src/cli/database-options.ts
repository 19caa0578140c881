// Options shared by the commands that connect (up, down, status, resolve), and the Migrator they build.
import type { Argv } from 'yargs';
import { DEFAULT_DATABASE_URL, Migrator, UsageError, type ProgressEvent, type ServerNotice } from '../index.js';
import { resolveOption } from './config.js';
import type { Context } from './context.js';
import { parseDuration } from './duration.js';
import { progressPrinter } from './progress.js';
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
  assertDatabaseNamedInCi(ctx);
  let removeHandlers: (() => void) | undefined;
  const migrator: Migrator = new Migrator({
    dir: ctx.dir,
    db: ctx.db,
    schema: ctx.schema,
    ...runSettings(ctx, argv),
    // status and resolve print no steps, but their waits all the same.
    onProgress: onProgress ?? progressPrinter(ctx.output),
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

/** The waits, timeouts and drift rule of a run, from flags, environment or config: the same for one database or many. */
export function runSettings(ctx: Context, argv: DatabaseArgs) {
  const raw = argv as Record<string, unknown>;
  const duration = (key: string, option: string, fallback: string) =>
    parseDuration(resolveOption<string | number>(raw, key, ctx.config, fallback), option);
  return {
    connectWaitMs: duration('connectWait', 'connect-wait', '0'),
    lockWaitMs: duration('lockWait', 'lock-wait', '60s'),
    lockTimeoutMs: duration('lockTimeout', 'lock-timeout', '10s'),
    statementTimeoutMs: duration('statementTimeout', 'statement-timeout', '0'),
    allowDrift: resolveOption(raw, 'allowDrift', ctx.config, false),
    vars: ctx.vars,
  };
}

/**
 * Under CI (the CI variable set to anything) the embedded default would be a database the job throws
 * away: a misspelt DATABASE_URL, or a secret that expands to nothing, would apply everything there
 * and report success. So there the database must be named, the embedded one too.
 */
function assertDatabaseNamedInCi(ctx: Context): void {
  if (ctx.db !== undefined || !process.env.CI) return;
  const empty = process.env.DATABASE_URL === '' ? ' (DATABASE_URL is set but empty)' : '';
  throw new UsageError(`CI is set and no database was named${empty}: under CI, sqlmig does not fall back to the embedded database, which the job would throw away`, {
    hint: `name the database with --db postgres://…, DATABASE_URL or "db" in sqlmig.config.json; to use the embedded one on purpose: --db ${DEFAULT_DATABASE_URL}`,
  });
}

/** As psql prints it, with the migration in front: `app/users: NOTICE: …`, then DETAIL and HINT. */
export function formatServerNotice(ctx: Context, n: ServerNotice & { target?: string }): string {
  const { err } = ctx.output;
  const colour = n.severity === 'WARNING' ? err.yellow : err.dim;
  const lines = [`${n.target === undefined ? '' : `${n.target}: `}${n.migration}: ${n.severity}: ${n.message}`];
  if (n.detail) lines.push(`  DETAIL: ${n.detail}`);
  if (n.hint) lines.push(`  HINT: ${n.hint}`);
  return lines.map((line) => colour(line)).join('\n');
}
