// Stops at once, with a clear error, when the working directory was deleted under the shell that runs sqlmig.
// Imported first by main.ts: yargs reads the working directory as it loads, and would crash with a stack trace.
import { existsSync } from 'node:fs';
import { UsageError } from '../index.js';
import { Output } from './output.js';
import { reportError } from './report-error.js';

try {
  process.cwd();
} catch (error) {
  // A shell's PWD names the folder it entered; trust it only if that folder is gone too.
  const pwd = process.env.PWD;
  const where = pwd && !existsSync(pwd) ? ` ${pwd}` : '';
  const problem = new UsageError(`the working directory${where} no longer exists`, {
    cause: error,
    hint: 'it was deleted or moved after the shell entered it: cd into an existing folder (cd "$PWD" if it was recreated) and run sqlmig again',
  });
  process.exit(reportError(problem, new Output({ json: process.argv.includes('--json'), quiet: false })));
}
