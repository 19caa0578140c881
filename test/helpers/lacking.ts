// What tests need and this machine lacks (a server, a binary, a setting): under CI=true a failure,
// elsewhere a loud skip that says what is missing.
export function lacking(what: string, skipped: string): void {
  if (process.env.CI === 'true') throw new Error(`${what} (CI=true: a missing prerequisite is a failure)`);
  console.warn(`\n!!! ${what}\n!!! SKIPPING ${skipped}\n`);
}
