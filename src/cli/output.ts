// Where the CLI writes: results to stdout, progress and problems to stderr; colours only on a TTY.
import pc from 'picocolors';
import type { Style } from '../index.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** true/false from --color/--no-color; undefined: decide per stream (TTY and NO_COLOR). */
  color?: boolean;
}

function styleFor(stream: NodeJS.WriteStream, color: boolean | undefined): Style {
  const on = color ?? (stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb');
  const c = pc.createColors(on);
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan };
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly out: Style;
  readonly err: Style;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.out = styleFor(process.stdout, options.color);
    this.err = styleFor(process.stderr, options.color);
  }

  /** The command's result (human form); suppressed under --json, where `data` is printed instead. */
  result(text: string): void {
    if (!this.json && text !== '') process.stdout.write(`${text}\n`);
  }

  /** The command's result in machine-readable form, only under --json. */
  data(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and notices: stderr, silenced by --quiet. */
  info(text: string): void {
    if (!this.quiet) process.stderr.write(`${text}\n`);
  }

  /** Warnings and errors: stderr, always. */
  problem(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}
