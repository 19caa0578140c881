// The scratch databases of one verify run: each disposed once, every one on close, their statements cancelled on interrupt.
import type { Scratch, ScratchDatabases } from '../drivers/driver.js';
import { SqlmigError } from '../errors.js';

/**
 * Wraps a driver's ScratchDatabases so that a run that stops anywhere — a failure, SIGINT, SIGTERM —
 * still drops every database it made. A database that cannot be dropped is reported through
 * `onWarning`, naming it, rather than thrown: what the run found (or why it stopped) matters more,
 * and the user can drop it by hand.
 */
export class ScratchPool {
  private readonly live = new Set<Scratch>();
  private failures = 0;

  constructor(private readonly factory: ScratchDatabases, private readonly onWarning?: (message: string) => void) {}

  get display(): string {
    return this.factory.display;
  }

  async create(): Promise<Scratch> {
    const made = await this.factory.create();
    let disposed = false;
    const scratch: Scratch = {
      driver: made.driver,
      session: made.session,
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        // Out of the pool first: a cancel must never reach a session that is closing.
        this.live.delete(scratch);
        await made.dispose().catch((error) => this.report(error));
      },
    };
    this.live.add(scratch);
    return scratch;
  }

  /** Asks each scratch session to cancel what it runs now: the run's pending call fails and the run unwinds. */
  cancelRunning(): void {
    for (const { driver, session } of this.live) {
      if (driver.capabilities.cancel) void session.cancel().catch(() => undefined);
    }
  }

  /** Disposes the scratch databases still there (a run stopped midway), then the factory; returns how many could not be dropped. */
  async close(): Promise<number> {
    for (const scratch of [...this.live]) await scratch.dispose();
    await this.factory.close().catch((error) => this.report(error));
    return this.failures;
  }

  private report(error: unknown): void {
    for (const one of error instanceof AggregateError ? error.errors : [error]) {
      this.failures++;
      const message = one instanceof SqlmigError ? one.message
        : `could not dispose of a scratch database (${this.factory.display}): ${one instanceof Error ? one.message : String(one)}`;
      this.onWarning?.(message);
    }
  }
}
