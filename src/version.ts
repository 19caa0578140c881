// sqlmig's own version, read from package.json (recorded in every history row).
import { createRequire } from 'node:module';

export const SQLMIG_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
