// One line per migration as it finishes, with a counter on long runs.
import type { ProgressEvent } from '../index.js';
import { formatDuration } from './duration.js';
import type { Output } from './output.js';

const COUNTER_FROM = 10;

export function progressPrinter(output: Output): (event: ProgressEvent) => void {
  return (event) => {
    if (event.type !== 'done' || output.json || output.quiet) return;
    const verb = event.step.action === 'deploy' ? output.out.green('applied ') : output.out.yellow('reverted');
    const width = String(event.total).length;
    const counter = event.total >= COUNTER_FROM ? output.out.dim(`[${String(event.index + 1).padStart(width)}/${event.total}] `) : '';
    output.result(`${counter}${verb} ${event.step.name} ${output.out.dim(`(${formatDuration(event.durationMs)})`)}`);
  };
}
