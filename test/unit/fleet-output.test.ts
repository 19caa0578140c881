// What a run over many targets prints: a line per target, the live count on a terminal, the summary, JSON and the exit code.
import { describe, expect, it } from 'vitest';
import { ExitCode, MigrationError, SqlmigError, type FleetEvent, type FleetResult, type RunResult, type TargetOutcome } from '../../src/index.js';
import type { LiveLineIo } from '../../src/cli/live-line.js';
import { Output } from '../../src/cli/output.js';
import { describeRun, fleetPrinter, reportFleet } from '../../src/cli/fleet-output.js';

const ERASE = '\r\x1b[K';

function fakeOutput(options: { tty: boolean; json?: boolean }) {
  let stdout = '';
  let stderr = '';
  let tick = () => undefined as void;
  const terminal: LiveLineIo = {
    write: (t) => { stderr += t; }, columns: () => 120, now: () => 0,
    every: (_ms, t) => { tick = t; return () => { tick = () => undefined; }; },
  };
  const output = new Output({
    json: options.json ?? false, quiet: false, color: false,
    streams: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: options.tty }, terminal: options.tty ? terminal : undefined },
  });
  return { output, stdout: () => stdout, stderr: () => stderr, tick: () => tick() };
}

const run = (steps: number): RunResult => ({
  command: 'up', dryRun: false, database: 'postgres://app@db:5432/app', warnings: [],
  steps: Array.from({ length: steps }, (_, i) => ({ name: `m${i}`, action: 'deploy' as const, durationMs: 1 })),
});
const ok = (name: string, steps: number): TargetOutcome<RunResult> => ({ name, database: 'postgres://app:***@db:5432/app', result: run(steps) });
const failed = (name: string, error: SqlmigError): TargetOutcome<RunResult> => ({ name, database: 'postgres://app@db:5432/app', error });
const sqlFailure = new MigrationError('003_c: division by zero', {
  migration: '003_c', section: 'deploy', serverMessage: 'division by zero', transactional: true,
}, { position: { path: 'migrations/003_c.sql', line: 2, column: 8 }, hint: 'fix it' });
const unreachable = new SqlmigError('unreachable', ExitCode.connection, 'cannot connect to postgres://app@gone:5432/app');
const done = (index: number, outcome: TargetOutcome<RunResult>): FleetEvent =>
  ({ type: 'target-done', target: outcome.name, index, total: 3, outcome, durationMs: 1200 });

describe('fleetPrinter', () => {
  it('prints a line per target as it finishes, its error at path:line:col, and counts on the live line', () => {
    const f = fakeOutput({ tty: true });
    const print = fleetPrinter(f.output, 3, describeRun);
    print({ type: 'target-start', target: 'eu-1', index: 0, total: 3 });
    expect(f.stderr()).toBe(`${ERASE}targets 0/3`);
    print(done(1, failed('eu-2', sqlFailure)));
    print(done(0, ok('eu-1', 3)));
    f.tick();
    expect(f.stderr().endsWith(`${ERASE}targets 2/3, 1 failed`)).toBe(true);
    print({ type: 'lock-wait', target: 'eu-3', holder: 'pid 42' });
    print(done(2, ok('eu-3', 0)));
    expect(f.stdout()).toBe([
      'eu-2: migrations/003_c.sql:2:8 error[sql-failed]: 003_c: division by zero',
      '  hint: fix it',
      'eu-1: 3 applied (1.20 s)',
      'eu-3: nothing to do (1.20 s)',
      '',
    ].join('\n'));
    expect(f.stderr()).toContain('sqlmig: eu-3: waiting for the migration lock held by pid 42…\n');
    // The live line is gone once every target finished.
    expect(f.stderr().endsWith(ERASE)).toBe(true);
  });

  it('prints nothing but the JSON under --json', () => {
    const f = fakeOutput({ tty: true, json: true });
    fleetPrinter(f.output, 3, describeRun)(done(0, ok('eu-1', 3)));
    expect(f.stdout() + f.stderr()).toBe('');
  });
});

describe('reportFleet', () => {
  const result = (targets: TargetOutcome<RunResult>[], exitCode: number): FleetResult<RunResult> => ({ targets, exitCode: exitCode as ExitCode });

  it('sums up by exit code and says why targets did not run', () => {
    const f = fakeOutput({ tty: false });
    const notRun = new SqlmigError('not-run', 1, 'not run: target "b" failed, and --fail-fast starts no new target');
    const code = reportFleet(f.output, result([ok('a', 1), failed('b', sqlFailure), failed('c', unreachable), failed('d', notRun)], 1), performance.now());
    expect(code).toBe(1);
    expect(f.stdout()).toMatch(/^4 targets in \d+ ms: 1 succeeded, 2 failed \(exit 1: 1, exit 3: 1\), 1 not run\n/);
    expect(f.stdout()).toContain('targets not run: target "b" failed, and --fail-fast starts no new target\n');
  });

  it('prints {"targets": [{name, database, result} | {name, database, error}]} under --json', () => {
    const f = fakeOutput({ tty: false, json: true });
    reportFleet(f.output, result([ok('a', 1), failed('b', unreachable)], 3), performance.now());
    expect(JSON.parse(f.stdout())).toEqual({
      targets: [
        { name: 'a', database: 'postgres://app:***@db:5432/app', result: run(1) },
        { name: 'b', database: 'postgres://app@db:5432/app', error: { code: 'unreachable', exitCode: 3, message: 'cannot connect to postgres://app@gone:5432/app' } },
      ],
    });
  });

  it('with every target done, takes the first code a target gives of itself (status --exit-code)', () => {
    const f = fakeOutput({ tty: false });
    const code = reportFleet(f.output, result([ok('a', 0), ok('b', 2), ok('c', 1)], 0), performance.now(), { exitCodeOf: (r) => (r.steps.length > 0 ? 6 : 0) });
    expect(code).toBe(6);
  });
});
