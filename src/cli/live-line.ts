// One status line at the bottom of a terminal, rewritten in place as time passes and cleared before anything else is printed.

/** Where the line goes and how time passes; injected so that tests need no terminal and no timing. */
export interface LiveLineIo {
  write(text: string): void;
  /** The terminal's width: a longer line would wrap, and a wrapped line cannot be rewritten in place. */
  columns(): number | undefined;
  /** Milliseconds from any fixed point. */
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

const TICK_MS = 100;
// Carriage return, then erase to the end of the line.
const ERASE = '\r\x1b[K';

export class LiveLine {
  private render?: (elapsedMs: number) => string | undefined;
  private since = 0;
  /** The text on screen, if any. */
  private shown?: string;
  private stopTicking?: () => void;

  constructor(private readonly io: LiveLineIo) {}

  /** Shows `render(ms since now)` from now on, redrawn as time passes; while it returns undefined, nothing shows. */
  start(render: (elapsedMs: number) => string | undefined): void {
    this.stop();
    this.render = render;
    this.since = this.io.now();
    this.stopTicking = this.io.every(TICK_MS, () => this.draw());
    this.draw();
  }

  /** Removes the line for good. */
  stop(): void {
    this.stopTicking?.();
    this.stopTicking = undefined;
    this.render = undefined;
    this.clear();
  }

  /** Takes the line off the screen so that other output starts at column 1; `draw` puts it back. */
  clear(): void {
    if (this.shown === undefined) return;
    this.io.write(ERASE);
    this.shown = undefined;
  }

  /** Puts the line on screen as it reads now (again, after `clear`). */
  draw(): void {
    if (!this.render) return;
    const text = this.render(this.io.now() - this.since);
    if (text === undefined) return this.clear();
    const width = (this.io.columns() || 80) - 1; // 0 when the terminal does not say
    const fitted = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
    if (fitted === this.shown) return;
    this.io.write(`${ERASE}${fitted}`);
    this.shown = fitted;
  }
}

/** A real terminal's stream: a timer that does not keep the process alive. */
export function terminalIo(stream: NodeJS.WriteStream): LiveLineIo {
  return {
    write: (text) => void stream.write(text),
    columns: () => stream.columns,
    now: () => performance.now(),
    every(ms, tick) {
      const timer = setInterval(tick, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
