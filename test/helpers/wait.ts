// Waiting for a condition another process brings about.

/** Polls `check` every 50 ms for up to 20 s. */
export async function waitFor(check: () => Promise<boolean> | boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
