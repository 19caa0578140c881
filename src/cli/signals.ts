// SIGINT/SIGTERM during database work: the first one interrupts it (cancel, roll back, release the lock); a second one exits at once.

/** What a signal stops: a Migrator's run, a verify's scratch databases. */
export interface Interruptible {
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void;
}

/**
 * Handles SIGINT and SIGTERM until the returned function is called. Install the handlers only around
 * work on a database: a handler runs only when the event loop gets its turn, which CPU-bound work
 * (reading, parsing and linting files) does not give it until it ends. Without a handler the signals
 * keep their default effect and end the process at once, which a shell reports as 130 or 143.
 */
export function installSignalHandlers(target: Interruptible, doing = 'rolling back'): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      if (interrupted) process.exit(signal === 'SIGINT' ? 130 : 143);
      interrupted = true;
      // On a terminal, start at column 1: the live line may be showing (it is drawn again below).
      const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
      process.stderr.write(`${erase}sqlmig: ${signal} received, ${doing} (send it again to exit at once)\n`);
      target.interrupt(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

let interrupted = false;
