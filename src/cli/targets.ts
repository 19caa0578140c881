// Options of up, down and status over many targets (--targets, --targets-from, --parallel, …), and the Fleet they build.
import type { Argv } from 'yargs';
import { Fleet, loadFleetInput, queryTargets, readTargetsFile, UsageError, type FleetResult } from '../index.js';
import { resolveOption } from './config.js';
import type { Context } from './context.js';
import { formatServerNotice, runSettings, type DatabaseArgs } from './database-options.js';
import { fleetPrinter, reportFleet, type FleetReportOptions } from './fleet-output.js';
import { printWarnings } from './run-output.js';
import { installSignalHandlers } from './signals.js';

export interface TargetArgs extends DatabaseArgs {
  targets?: string;
  targetsFrom?: string;
  targetsQuery?: string;
  parallel?: number;
  canary?: number;
  failFast?: boolean;
  schema?: string;
}

export function withTargetOptions<T>(y: Argv<T>) {
  return y
    .option('targets', { type: 'string', describe: 'Run on every database of this JSON file: {"targets": [{"name", "db", "searchPath"}]}' })
    .option('targets-from', { type: 'string', describe: 'Read the targets from this control database (with --targets-query)' })
    .option('targets-query', { type: 'string', describe: 'SQL returning the targets: columns name, and db and/or search_path' })
    .option('parallel', { type: 'number', describe: 'Targets at once [default: 4]' })
    .option('canary', { type: 'number', describe: 'Run the first N targets alone; stop unless all of them succeed' })
    .option('fail-fast', { type: 'boolean', describe: 'Start no new target after one fails' })
    .group(['targets', 'targets-from', 'targets-query', 'parallel', 'canary', 'fail-fast'], 'Many databases:');
}

/** Whether the command runs over targets; a fleet option without a list of targets is a usage error. */
export function targetsRequested(ctx: Context, argv: TargetArgs): boolean {
  const file = resolveOption<string>(argv as Record<string, unknown>, 'targets', ctx.config);
  const from = resolveOption<string>(argv as Record<string, unknown>, 'targetsFrom', ctx.config);
  const query = resolveOption<string>(argv as Record<string, unknown>, 'targetsQuery', ctx.config);
  if (file === undefined && from === undefined && query === undefined) {
    const stray = (['parallel', 'canary', 'failFast'] as const).find((o) => argv[o] !== undefined);
    if (stray) {
      throw new UsageError(`--${stray === 'failFast' ? 'fail-fast' : stray} runs over many targets, and none were given`, {
        hint: 'add --targets FILE, or --targets-from URL --targets-query SQL',
      });
    }
    return false;
  }
  if (file !== undefined && (from !== undefined || query !== undefined)) {
    throw new UsageError('--targets and --targets-from each give the list of targets: use one', {
      hint: 'a file with --targets, or a control database with --targets-from and --targets-query',
    });
  }
  if ((from === undefined) !== (query === undefined)) {
    const message = from === undefined
      ? '--targets-query needs --targets-from, the database it runs on'
      : '--targets-from needs --targets-query, the SQL that lists the targets';
    throw new UsageError(message, {
      hint: 'for example --targets-from postgres://…/control '
        + `--targets-query "SELECT slug AS name, 'tenant_' || id AS search_path FROM tenants"`,
    });
  }
  if (argv.schema !== undefined) {
    throw new UsageError('--schema names one history, and each target has its own', {
      hint: 'give a target its history schema with "schema" in the targets file',
    });
  }
  return true;
}

/**
 * Reads the targets and the folder (every problem of both at once, before any target is opened), runs
 * `work` on a Fleet with a line per target as it finishes, and reports; returns the exit code.
 */
export async function runOnTargets<T>(
  ctx: Context, argv: TargetArgs, describe: (result: T) => string, work: (fleet: Fleet) => Promise<FleetResult<T>>,
  report: FleetReportOptions<T> = {},
): Promise<number> {
  const raw = argv as Record<string, unknown>;
  const settings = runSettings(ctx, argv);
  const file = resolveOption<string>(raw, 'targets', ctx.config);
  const from = resolveOption<string>(raw, 'targetsFrom', ctx.config);
  // A target without a database: the one --db (DATABASE_URL, config) names, else the control database.
  const defaultDb = ctx.db ?? from;
  const entries = file !== undefined
    ? await readTargetsFile(file)
    : await queryTargets(from!, resolveOption<string>(raw, 'targetsQuery', ctx.config)!, { lockWaitMs: settings.lockWaitMs });
  const { targets, project } = await loadFleetInput(entries, ctx.dir, { defaultDb, fallbackDialect: ctx.dialect });
  const started = performance.now();
  const fleet = new Fleet({
    dir: ctx.dir, targets, project, parallel: argv.parallel, canary: argv.canary, failFast: argv.failFast, ...settings,
    onProgress: fleetPrinter(ctx.output, targets.length, describe),
    onNotice: onceEach((message) => ctx.output.info(ctx.output.err.dim(`sqlmig: ${message}`))),
    onServerNotice: (notice) => ctx.output.info(formatServerNotice(ctx, notice)),
  });
  printWarnings(ctx.output, project.warnings);
  const removeHandlers = installSignalHandlers(fleet);
  try {
    return reportFleet(ctx.output, await work(fleet), started, report);
  } finally {
    removeHandlers();
  }
}

/** Notices say what holds for every target of an engine (MySQL's implicit commits): each is printed once per run. */
function onceEach(print: (message: string) => void): (message: string) => void {
  const told = new Set<string>();
  return (message) => {
    if (told.has(message)) return;
    told.add(message);
    print(message);
  };
}
