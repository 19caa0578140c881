// SIGINT/SIGTERM: the first one interrupts the run (cancel, roll back, release the lock); a second one exits at once.
import type { Migrator } from '../index.js';

export function installSignalHandlers(migrator: Migrator): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(signal === 'SIGINT' ? 130 : 143);
      interrupted = true;
      // On a terminal, start at column 1: the live line may be showing (it is drawn again below).
      const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
      process.stderr.write(`${erase}sqlmig: ${signal} received, rolling back (send it again to exit at once)\n`);
      migrator.interrupt(signal);
    });
  }
}

let interrupted = false;
