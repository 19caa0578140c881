// One line per migration as it finishes, with a counter on long runs.
import type { ProgressEvent } from '../index.js';
import { formatDuration } from './duration.js';
import type { Output } from './output.js';

const COUNTER_FROM = 10;

export function progressPrinter(output: Output): (event: ProgressEvent) => void {
  return (event) => {
    if (event.type !== 'done' || output.json || output.quiet) return;
    if (event.logOnly) {
      output.result(`${counterOf(output, event)}${output.out.cyan('recorded')} ${event.step.name} ${output.out.dim('(not run)')}`);
      return;
    }
    const verb = event.step.action === 'deploy' ? output.out.green('applied ') : output.out.yellow('reverted');
    output.result(`${counterOf(output, event)}${verb} ${event.step.name} ${output.out.dim(`(${formatDuration(event.durationMs)})`)}`);
  };
}

/** `[ 3/40] ` on long runs, nothing on short ones. */
function counterOf(output: Output, event: { index: number; total: number }): string {
  if (event.total < COUNTER_FROM) return '';
  const width = String(event.total).length;
  return output.out.dim(`[${String(event.index + 1).padStart(width)}/${event.total}] `);
}
