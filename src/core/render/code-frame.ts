// Code frames: the lines around a position with a caret under the column, as compilers print them.
import { LineIndex } from '../text.js';
import { plainStyle, type Style } from './style.js';

/** Renders `line` (1-based) with one line of context either side and a caret under `column` (code points). */
export function renderCodeFrame(text: string | LineIndex, line: number, column: number, style: Style = plainStyle): string {
  const lines = typeof text === 'string' ? new LineIndex(text) : text;
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.lineCount, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const content = lines.lineText(n);
    const gutter = `${n === line ? '>' : ' '} ${String(n).padStart(width)} | `;
    out.push((n === line ? style.bold(gutter) : style.dim(gutter)) + content);
    if (n === line) {
      // Keep tabs so that the caret lines up with what the terminal shows.
      const before = [...content].slice(0, Math.max(0, column - 1)).map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
      out.push(style.dim(`  ${' '.repeat(width)} | `) + before + style.red('^'));
    }
  }
  return out.join('\n');
}
