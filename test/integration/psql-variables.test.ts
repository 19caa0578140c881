// The table of test/helpers/psql-variables.ts against psql itself: what `psql -v … -e` sends is what sqlmig substitutes.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../helpers/databases.js';
import { PSQL_CASES } from '../helpers/psql-variables.js';
import { tempDir } from '../helpers/tmp.js';
import { lacking } from '../helpers/lacking.js';

const psql = spawnSync('psql', ['--version']).status === 0;
if (!psql && postgresUrl) lacking('psql is not on PATH: the variable cases cannot be checked against it', 'the psql variable cases');

describe.skipIf(!postgresUrl || !psql)('variables: the cases against psql -v', () => {
  it.each(Object.entries(PSQL_CASES))('%s', (_, { sql, vars, sent }) => {
    const file = join(tempDir(), 'case.sql');
    writeFileSync(file, sql);
    const args = ['-X', '-q', '-d', postgresUrl!, '-e', '-o', '/dev/null', '-f', file];
    for (const [name, value] of Object.entries(vars)) args.push('-v', `${name}=${value}`);
    // The server may reject the statement (a cast to type "2"): psql has echoed it first, on stdout.
    let echoed: string;
    try {
      echoed = execFileSync('psql', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      echoed = (error as { stdout: string }).stdout;
    }
    expect(echoed.replace(/\n$/, '')).toBe(sent);
  });
});
