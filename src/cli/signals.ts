// SIGINT/SIGTERM: the first one interrupts every run (cancel, roll back, release the lock); a second one exits at once.
import { ExitCode } from '../index.js';

/** What a signal stops: a Migrator, or a Fleet with many of them. */
export interface Interruptible {
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void;
}

const runs: Interruptible[] = [];
let installed = false;
let interrupted = false;

/** Adds a run to those the process's one handler set interrupts; the handlers are installed with the first. */
export function installSignalHandlers(run: Interruptible): void {
  runs.push(run);
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated);
      interrupted = true;
      // On a terminal, start at column 1: the live line may be showing (it is drawn again below).
      const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
      process.stderr.write(`${erase}sqlmig: ${signal} received, rolling back (send it again to exit at once)\n`);
      for (const run of runs) run.interrupt(signal);
    });
  }
}
