// --help: 100 columns when piped, the terminal's width on a TTY, and lines broken only between words.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, sqlmig } from '../helpers/cli.js';

const COMMANDS = [[], ['up'], ['down'], ['status'], ['graph'], ['lint'], ['verify'], ['new'], ['resolve']];
const WIDE = 300;

/** The help on a terminal WIDE columns wide (a pseudo-terminal from util-linux `script`), where nothing needs wrapping. */
function helpOnTerminal(command: string[]): Promise<string> {
  const line = `stty cols ${WIDE} rows 50 && exec '${process.execPath}' '${BIN}' ${command.join(' ')} --help`;
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out.replace(/\r\n/g, '\n')) : fail(new Error(`script exited ${code}: ${out}`))));
  });
}

const widthOf = (line: string) => [...line].length;
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');

describe('sqlmig --help', () => {
  it('wraps at 100 columns when piped, between words only; uses the whole width of a terminal', async () => {
    for (const command of COMMANDS) {
      const piped = await sqlmig([...command, '--help']);
      expect(piped.code).toBe(0);
      const lines = piped.stdout.split('\n');
      expect(lines.filter((l) => widthOf(l) > 100), `${command} --help`).toEqual([]);
      // On the wide terminal every row is whole: each word printed when piped must be one of its words.
      const terminal = await helpOnTerminal(command);
      expect(Math.max(...terminal.split('\n').map(widthOf)), `${command} --help on a terminal`).toBeGreaterThan(100);
      const whole = new Set(words(terminal));
      expect(words(piped.stdout).filter((w) => !whole.has(w)), `${command} --help: words split across lines`).toEqual([]);
    }
    // The token that used to be cut in two ("pglite:.sqlmig" / "/pglite,").
    expect(words((await sqlmig(['up', '--help'])).stdout)).toContain('pglite:.sqlmig/pglite,');
  });
});
