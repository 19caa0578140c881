// Where the CLI writes: results to stdout, progress and problems to stderr; colours and the live line only on a TTY.
import pc from 'picocolors';
import type { Style } from '../index.js';
import { LiveLine, terminalIo, type LiveLineIo } from './live-line.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** true/false from --color/--no-color; undefined: decide per stream (TTY and NO_COLOR). */
  color?: boolean;
  /** Instead of the process's streams (tests): stdout, stderr, and the live line's terminal when stderr is one. */
  streams?: { stdout: Sink; stderr: Sink; terminal?: LiveLineIo };
}

interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

function styleFor(stream: Sink, color: boolean | undefined): Style {
  const on = color ?? (stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb');
  const c = pc.createColors(on);
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan };
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly out: Style;
  readonly err: Style;
  /** The line rewritten in place on stderr (a running migration, a wait); only on a terminal, never with --json or --quiet. */
  readonly live?: LiveLine;
  private readonly stdout: Sink;
  private readonly stderr: Sink;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.stdout = options.streams?.stdout ?? process.stdout;
    this.stderr = options.streams?.stderr ?? process.stderr;
    this.out = styleFor(this.stdout, options.color);
    this.err = styleFor(this.stderr, options.color);
    const terminal = options.streams ? options.streams.terminal : process.stderr.isTTY && process.env.TERM !== 'dumb' ? terminalIo(process.stderr) : undefined;
    if (terminal && !this.json && !this.quiet) this.live = new LiveLine(terminal);
  }

  /** The command's result (human form); suppressed under --json, where `data` is printed instead. */
  result(text: string): void {
    if (!this.json && text !== '') this.around(() => this.stdout.write(`${text}\n`));
  }

  /** The command's result in machine-readable form, only under --json. */
  data(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Output in a format the command was asked for (lint --format github|sarif|json): stdout, whatever --json and --quiet say. */
  write(text: string): void {
    if (text !== '') this.around(() => this.stdout.write(`${text}\n`));
  }

  /** Progress and notices: stderr, silenced by --quiet. */
  info(text: string): void {
    if (!this.quiet) this.around(() => this.stderr.write(`${text}\n`));
  }

  /** Warnings and errors: stderr, always; the live line goes away for good. */
  problem(text: string): void {
    this.live?.stop();
    this.stderr.write(`${text}\n`);
  }

  /** Other output starts on a clean line, and the live line comes back below it. */
  private around(write: () => void): void {
    this.live?.clear();
    write();
    this.live?.draw();
  }
}
