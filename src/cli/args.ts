// Small argument helpers shared by commands.

/** `--requires a,b --requires c` -> ['a', 'b', 'c']. */
export function splitNames(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '');
}
