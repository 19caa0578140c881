// What a run shows as it goes: a line per migration as it finishes, with a counter on long runs, and its waits.
// On a terminal, a live line on stderr names the migration running for more than a second or the wait
// under way; piped, a wait prints one line when it starts and one when it ends.
import type { ProgressEvent } from '../index.js';
import { formatDuration } from './duration.js';
import type { Output } from './output.js';

const COUNTER_FROM = 10;
/** A migration shows on the live line only once it has run this long, so fast runs stay clean. */
const SHOW_RUNNING_AFTER_MS = 1000;

export function progressPrinter(output: Output): (event: ProgressEvent) => void {
  return (event) => {
    if (output.json || output.quiet) return;
    const { live } = output;
    const notice = (text: string) => output.info(output.err.dim(`sqlmig: ${text}`));
    switch (event.type) {
      case 'start':
        live?.start((ms) => (ms < SHOW_RUNNING_AFTER_MS ? undefined : `${event.step.name} ${formatElapsed(ms, 1)}`));
        return;
      case 'done':
        live?.stop();
        return printDone(output, event);
      case 'lock-wait': {
        const holder = event.holder ?? 'another session';
        // The time first: a narrow terminal cuts the end of the line.
        if (live) live.start((ms) => `waiting for the lock (${formatElapsed(ms, 0)}), held by ${holder}`);
        else notice(`waiting for the migration lock held by ${holder}…`);
        return;
      }
      case 'connect-wait':
        if (live) live.start((ms) => `waiting for the server (${formatElapsed(ms, 0)})`);
        else notice(`waiting for the server, up to ${formatLimit(event.waitMs)}: ${event.reason}`);
        return;
      case 'lock-acquired':
      case 'connected':
        if (live) return live.stop();
        return notice(`${event.type === 'connected' ? 'connected' : 'got the lock'} after ${formatDuration(event.waitedMs)}`);
    }
  };
}

function printDone(output: Output, event: Extract<ProgressEvent, { type: 'done' }>): void {
  if (event.logOnly) {
    output.result(`${counterOf(output, event)}${output.out.cyan('recorded')} ${event.step.name} ${output.out.dim('(not run)')}`);
    return;
  }
  const verb = event.step.action === 'deploy' ? output.out.green('applied ') : output.out.yellow('reverted');
  const again = event.step.reapply ? ', re-applied' : '';
  output.result(`${counterOf(output, event)}${verb} ${event.step.name} ${output.out.dim(`(${formatDuration(event.durationMs)}${again})`)}`);
}

/** `3.2 s` or `12 s` as the live line counts; `2 min 5 s` past a minute. */
function formatElapsed(ms: number, decimals: 0 | 1): string {
  if (ms >= 60_000) return formatDuration(ms);
  return `${decimals === 0 ? Math.floor(ms / 1000) : (Math.floor(ms / 100) / 10).toFixed(1)} s`;
}

/** A limit as the user likely gave it: `30 s`, `1.50 s`, `2 min 0 s`. */
function formatLimit(ms: number): string {
  return ms % 1000 === 0 && ms < 60_000 ? `${ms / 1000} s` : formatDuration(ms);
}

/** `[ 3/40] ` on long runs, nothing on short ones. */
function counterOf(output: Output, event: { index: number; total: number }): string {
  if (event.total < COUNTER_FROM) return '';
  const width = String(event.total).length;
  return output.out.dim(`[${String(event.index + 1).padStart(width)}/${event.total}] `);
}
