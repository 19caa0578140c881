// The live line and the progress printer, on a fake terminal with a clock the test moves by hand.
import { describe, expect, it } from 'vitest';
import type { ProgressEvent, Step } from '../../src/index.js';
import { LiveLine, type LiveLineIo } from '../../src/cli/live-line.js';
import { Output } from '../../src/cli/output.js';
import { progressPrinter } from '../../src/cli/progress.js';

const ERASE = '\r\x1b[K';

/** A terminal whose clock moves only when the test says, and whose timer ticks only then. */
function fakeTerminal(columns = 120) {
  // `log`: everything written; `written`: since the last `take`.
  const state = { log: '', written: '', now: 0, ticking: false, tick: () => undefined as void };
  const io: LiveLineIo = {
    write: (text) => { state.log += text; state.written += text; },
    columns: () => columns,
    now: () => state.now,
    every(_ms, tick) {
      state.ticking = true;
      state.tick = tick;
      return () => { state.ticking = false; };
    },
  };
  /** Moves the clock and lets the timer fire once. */
  const advance = (ms: number) => { state.now += ms; if (state.ticking) state.tick(); };
  /** What was written since the last call. */
  const take = () => { const w = state.written; state.written = ''; return w; };
  return { io, state, advance, take };
}

function fakeOutput(options: { tty: boolean; json?: boolean; quiet?: boolean }) {
  const terminal = fakeTerminal();
  let stdout = '';
  const output = new Output({
    json: options.json ?? false, quiet: options.quiet ?? false, color: false,
    streams: {
      stdout: { write: (t: string) => (stdout += t) },
      // stderr and the live line share one stream, as on a terminal.
      stderr: { write: (t: string) => terminal.io.write(t), isTTY: options.tty },
      terminal: options.tty ? terminal.io : undefined,
    },
  });
  return { output, terminal, print: progressPrinter(output), stdout: () => stdout, stderr: () => terminal.state.log };
}

const step = (name: string) => ({ name, action: 'deploy', sql: '', transactional: true }) as Step;
const start = (name: string): ProgressEvent => ({ type: 'start', step: step(name), index: 0, total: 1 });
const done = (name: string, durationMs: number): ProgressEvent => ({ type: 'done', step: step(name), index: 0, total: 1, durationMs });

describe('LiveLine', () => {
  it('rewrites one line in place as time passes, writes nothing while the text is unchanged, and erases it on stop', () => {
    const t = fakeTerminal();
    const line = new LiveLine(t.io);
    line.start((ms) => `waiting (${Math.floor(ms / 1000)} s)`);
    expect(t.take()).toBe(`${ERASE}waiting (0 s)`);
    t.advance(400);
    expect(t.take()).toBe('');
    t.advance(800);
    expect(t.take()).toBe(`${ERASE}waiting (1 s)`);
    line.stop();
    expect(t.take()).toBe(ERASE);
    expect(t.state.ticking).toBe(false);
    t.advance(5000);
    expect(t.take()).toBe('');
  });

  it('fits the terminal: a wrapped line could not be rewritten in place', () => {
    const t = fakeTerminal(20);
    new LiveLine(t.io).start(() => 'waiting for the lock (3 s), held by pid 4242');
    // 19 columns: the last one stays free, or some terminals wrap.
    expect(t.take()).toBe(`${ERASE}waiting for the lo…`);
  });
});

describe('progressPrinter on a terminal', () => {
  it('shows a migration only once it has run a second, with its time, and clears it before the applied line', () => {
    const o = fakeOutput({ tty: true });
    o.print(start('app/users'));
    o.terminal.advance(900);
    expect(o.stderr()).toBe('');
    o.terminal.advance(200);
    o.terminal.advance(2100);
    expect(o.stderr()).toBe(`${ERASE}app/users 1.1 s${ERASE}app/users 3.2 s`);
    o.print(done('app/users', 3300));
    expect(o.stderr()).toMatch(/3\.2 s\r\x1b\[K$/);
    expect(o.stdout()).toBe('applied  app/users (3.30 s)\n');
  });

  it('prints nothing for a fast migration but its applied line', () => {
    const o = fakeOutput({ tty: true });
    o.print(start('a'));
    o.terminal.advance(300);
    o.print(done('a', 300));
    expect(o.stderr()).toBe('');
    expect(o.stdout()).toBe('applied  a (300 ms)\n');
  });

  it('counts the seconds of a wait for the lock and for the server, and leaves no trace when it ends', () => {
    const o = fakeOutput({ tty: true });
    o.print({ type: 'lock-wait', holder: 'pid 4242, application_name "sqlmig", user app' });
    o.terminal.advance(12_000);
    o.print({ type: 'lock-acquired', waitedMs: 12_300 });
    expect(o.terminal.take()).toBe(
      `${ERASE}waiting for the lock (0 s), held by pid 4242, application_name "sqlmig", user app`
      + `${ERASE}waiting for the lock (12 s), held by pid 4242, application_name "sqlmig", user app${ERASE}`,
    );
    o.print({ type: 'connect-wait', database: 'postgres://db:5432/app', reason: 'connect ECONNREFUSED', waitMs: 30_000 });
    o.terminal.advance(3000);
    o.print({ type: 'connected', waitedMs: 3100 });
    expect(o.terminal.take()).toBe(`${ERASE}waiting for the server (0 s)${ERASE}waiting for the server (3 s)${ERASE}`);
  });

  it('keeps the live line below notices printed meanwhile, and drops it for an error', () => {
    const o = fakeOutput({ tty: true });
    o.print({ type: 'lock-wait', holder: 'pid 1' });
    o.output.info('sqlmig: a notice');
    o.output.problem('error[lock]: could not take the lock');
    expect(o.terminal.take()).toBe(
      `${ERASE}waiting for the lock (0 s), held by pid 1${ERASE}sqlmig: a notice\n${ERASE}waiting for the lock (0 s), held by pid 1`
      + `${ERASE}error[lock]: could not take the lock\n`,
    );
    o.terminal.advance(5000);
    expect(o.terminal.take()).toBe('');
  });
});

describe('progressPrinter piped', () => {
  it('prints one line when a wait starts and one when it ends, nothing in between', () => {
    const o = fakeOutput({ tty: false });
    o.print({ type: 'lock-wait', holder: 'pid 4242, application_name "sqlmig", user app' });
    o.print({ type: 'lock-acquired', waitedMs: 12_300 });
    o.print({ type: 'connect-wait', database: 'postgres://db:5432/app', reason: 'cannot connect to postgres://db:5432/app: connect ECONNREFUSED', waitMs: 30_000 });
    o.print({ type: 'connected', waitedMs: 3100 });
    o.print(start('app/users'));
    expect(o.stderr()).toBe([
      'sqlmig: waiting for the migration lock held by pid 4242, application_name "sqlmig", user app…',
      'sqlmig: got the lock after 12.3 s',
      'sqlmig: waiting for the server, up to 30 s: cannot connect to postgres://db:5432/app: connect ECONNREFUSED',
      'sqlmig: connected after 3.10 s',
      '',
    ].join('\n'));
  });

  it('--quiet and --json hide waits and the live line alike', () => {
    for (const flags of [{ quiet: true }, { json: true }]) {
      for (const tty of [true, false]) {
        const o = fakeOutput({ tty, ...flags });
        expect(o.output.live).toBeUndefined();
        o.print({ type: 'lock-wait', holder: 'pid 1' });
        o.print(start('a'));
        o.terminal.advance(5000);
        o.print({ type: 'lock-acquired', waitedMs: 5000 });
        expect(o.stderr()).toBe('');
      }
    }
  });
});
