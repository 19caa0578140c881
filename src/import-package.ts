// Loads a package that only some commands need (a driver, the lint parser), when first needed.
// The CLI's bundle runs through vm.Script (bin/sqlmig.js), whose code has no loader for `import()`:
// its build puts in place of this module one that calls bin/sqlmig.js's own import (scripts/build-cli.mjs).
export function importPackage<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
