// Small argument helpers shared by commands.
import { UsageError } from '../index.js';

/** `--requires a,b --requires c` -> ['a', 'b', 'c']. */
export function splitNames(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '');
}

/** What yargs knows of the options declared so far (its `getOptions()`, which @types/yargs leaves out). */
interface DeclaredOptions {
  key: Record<string, unknown>;
  array: string[];
}

/**
 * yargs turns `--db a --db b` into an array, which every single-valued option would then choke on:
 * an option given twice is a usage error naming it (values unsaid: a URL may carry a password).
 */
export function rejectRepeatedOptions(argv: Record<string, unknown>, parser: unknown): void {
  const options = (parser as { getOptions(): DeclaredOptions }).getOptions();
  const repeated = Object.keys(options.key).filter((key) => Array.isArray(argv[key]) && !options.array.includes(key));
  if (repeated.length === 0) return;
  const names = repeated.map((key) => `--${key}`).join(', ');
  const hint = repeated.length === 1 ? 'it takes one value: keep only the one you mean' : 'each takes one value: keep only the one you mean';
  throw new UsageError(`${names} given more than once`, { hint });
}
