// SIGINT/SIGTERM during database work: the first one interrupts every run in progress (cancel, roll back, release the lock); a second one exits at once.
import { ExitCode } from '../index.js';

/** What a signal stops: a Migrator's run, a Fleet with many of them, a verify's scratch databases. */
export interface Interruptible {
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void;
}

/** The runs a signal interrupts now, each with what it does then ("rolling back"). */
const active = new Map<Interruptible, string>();
let interrupted = false;

function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  if (interrupted) process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated);
  interrupted = true;
  const doing = [...new Set(active.values())].join(', ');
  // On a terminal, start at column 1: the live line may be showing (it is drawn again below).
  const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
  process.stderr.write(`${erase}sqlmig: ${signal} received, ${doing} (send it again to exit at once)\n`);
  for (const run of [...active.keys()]) run.interrupt(signal);
}

const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };

/**
 * Has SIGINT and SIGTERM interrupt `run` until the returned function is called; the process's one
 * handler set is there while some run is. Install it only around work on a database: a handler runs
 * only when the event loop gets its turn, which CPU-bound work (reading, parsing and linting files)
 * does not give it until it ends. Without a handler the signals keep their default effect and end the
 * process at once, which a shell reports as 130 or 143.
 */
export function installSignalHandlers(run: Interruptible, doing = 'rolling back'): () => void {
  if (active.size === 0) {
    process.on('SIGINT', handlers.SIGINT);
    process.on('SIGTERM', handlers.SIGTERM);
  }
  active.set(run, doing);
  return () => {
    if (!active.delete(run) || active.size > 0) return;
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  };
}
