// What a run over many targets prints: a line per target as it finishes, a live count on a terminal, a summary, or JSON.
import {
  plural, renderDiagnostic, InputError, IntegrityError,
  type FleetEvent, type FleetResult, type MigrationState, type RunResult, type SqlmigError, type StatusResult, type TargetOutcome,
} from '../index.js';
import { formatDuration } from './duration.js';
import type { Output } from './output.js';
import { errorJson } from './report-error.js';

/** Diagnostics shown under a failed target's line; the rest are counted (all of them are in --json). */
const DIAGNOSTICS_SHOWN = 5;

/** Prints each target's line as it finishes, and keeps the live line (`targets 37/100, 1 failed`) on a terminal. */
export function fleetPrinter<T>(output: Output, total: number, describe: (result: T) => string): (event: FleetEvent) => void {
  let done = 0;
  let failed = 0;
  let live = false;
  const notice = (target: string, text: string) => output.info(output.err.dim(`sqlmig: ${target}: ${text}`));
  return (event) => {
    if (output.json || output.quiet) return;
    if (!live && output.live) {
      live = true;
      output.live.start(() => `targets ${done}/${total}${failed > 0 ? `, ${failed} failed` : ''}`);
    }
    switch (event.type) {
      case 'target-done': {
        done++;
        const { outcome } = event;
        if ('error' in outcome) failed++;
        const time = output.out.dim(`(${formatDuration(event.durationMs)})`);
        if ('result' in outcome) output.result(`${outcome.name}: ${describe(outcome.result as T)} ${time}`);
        else printFailure(output, outcome.name, outcome.error);
        if (done === total) output.live?.stop();
        return;
      }
      case 'lock-wait':
        return notice(event.target, `waiting for the migration lock held by ${event.holder ?? 'another session'}…`);
      case 'lock-acquired':
        return notice(event.target, `got the lock after ${formatDuration(event.waitedMs)}`);
      case 'connect-wait':
        return notice(event.target, `waiting for the server: ${event.reason}`);
      case 'connected':
        return notice(event.target, `connected after ${formatDuration(event.waitedMs)}`);
    }
  };
}

/** `eu-1: migrations/3.sql:2:1 error[sql-failed]: …`, then the hint and the first diagnostics, indented. */
function printFailure(output: Output, name: string, error: SqlmigError): void {
  const s = output.out;
  const where = error.position ? `${error.position.path}:${error.position.line}:${error.position.column} ` : '';
  output.result(`${s.bold(`${name}:`)} ${where}${s.red(`error[${error.code}]`)}: ${error.message}`);
  const completed = error.completed?.length ?? 0;
  if (completed > 0) {
    const verb = error.completed![0].action === 'deploy' ? 'applied' : 'reverted';
    output.result(`  ${plural(completed, 'migration')} ${verb} before it`);
  }
  const diagnostics = error instanceof InputError || error instanceof IntegrityError ? error.diagnostics : [];
  for (const d of diagnostics.slice(0, DIAGNOSTICS_SHOWN)) output.result(indent(renderDiagnostic(d, s)));
  if (diagnostics.length > DIAGNOSTICS_SHOWN) output.result(`  … and ${diagnostics.length - DIAGNOSTICS_SHOWN} more (--json lists all)`);
  if (error.hint) output.result(`  ${s.cyan('hint')}: ${error.hint}`);
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}

export interface FleetReportOptions<T> {
  /** A target's result as --json prints it (default: as is). */
  json?: (result: T) => unknown;
  /** A succeeded target's own exit code (status --exit-code); 0 by default. */
  exitCodeOf?: (result: T) => number;
}

/**
 * The end of the run: `{"targets": [...]}` under --json, else the summary line; returns the exit code.
 * `exitCodeOf` gives a succeeded target's own code (status --exit-code), 0 otherwise.
 */
export function reportFleet<T>(output: Output, fleet: FleetResult<T>, startedAt: number, options: FleetReportOptions<T> = {}): number {
  output.live?.stop();
  const json = options.json ?? ((r: T) => r);
  output.data({
    targets: fleet.targets.map((o) => ('error' in o
      ? { name: o.name, database: o.database, error: errorJson(o.error) }
      : { name: o.name, database: o.database, result: json(o.result) })),
  });
  output.result(summaryOf(output, fleet.targets, performance.now() - startedAt));
  const notRun = fleet.targets.find((o) => 'error' in o && o.error.code === 'not-run');
  if (notRun && 'error' in notRun) output.result(output.out.yellow(notRun.error.message.replace(/^not run: /, 'targets not run: ')));
  if (fleet.exitCode !== 0) return fleet.exitCode;
  // Every target succeeded; with status --exit-code, the first one whose own code is not 0 decides.
  for (const o of fleet.targets) {
    const code = 'result' in o ? options.exitCodeOf?.(o.result) ?? 0 : 0;
    if (code !== 0) return code;
  }
  return 0;
}

/** `20 targets in 3.40 s: 18 succeeded, 1 failed (exit 1: 1), 1 not run`. */
function summaryOf(output: Output, outcomes: readonly TargetOutcome<unknown>[], ms: number): string {
  const failures = outcomes.flatMap((o) => ('error' in o && o.error.code !== 'not-run' ? [o.error.exitCode] : []));
  const notRun = outcomes.filter((o) => 'error' in o && o.error.code === 'not-run').length;
  const byCode = new Map<number, number>();
  for (const code of failures) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  const codes = [...byCode].sort(([a], [b]) => a - b).map(([code, n]) => `exit ${code}: ${n}`).join(', ');
  const parts = [`${outcomes.length - failures.length - notRun} succeeded`];
  if (failures.length > 0) parts.push(output.out.red(`${failures.length} failed (${codes})`));
  if (notRun > 0) parts.push(output.out.yellow(`${notRun} not run`));
  return `${plural(outcomes.length, 'target')} in ${formatDuration(ms)}: ${parts.join(', ')}`;
}

/** A target's line for up and down: `3 applied`, `nothing to do`, `2 would be reverted`. */
export function describeRun(result: RunResult): string {
  const n = result.steps.length;
  const verb = result.command === 'up' ? 'applied' : 'reverted';
  if (result.dryRun) {
    if (n === 0) return `nothing would be ${verb}`;
    return `${plural(n, 'migration')} would be ${result.steps[0].logOnly ? 'recorded' : verb}`;
  }
  if (n === 0) return result.command === 'up' ? 'nothing to do' : 'nothing to revert';
  if (result.steps.some((s) => s.logOnly)) return `${n} recorded as applied, none run`;
  return `${n} ${verb}`;
}

const STATES: MigrationState[] = ['applied', 'pending', 'drifted', 'missing', 'failed'];

/** A target's line for status: `5 applied, 2 pending`. */
export function describeStatus(result: StatusResult): string {
  const counts = STATES.map((s) => [s, result.migrations.filter((m) => m.state === s).length] as const).filter(([, n]) => n > 0);
  return counts.length === 0 ? 'no migrations' : counts.map(([s, n]) => `${n} ${s}`).join(', ');
}
