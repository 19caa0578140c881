// The whole contract again, connected as a role that is not a superuser and owns only its database.
import { describe } from 'vitest';
import { freshPostgres, postgresUrl } from '../helpers/databases.js';
import { TEST_USER } from '../helpers/global-setup.js';
import { runDriverContract } from './contract.js';
import { runLockContract, runPgFamilyContract } from './pg-family.js';

describe.skipIf(!postgresUrl)('PostgreSQL as a non-superuser', () => {
  runDriverContract('postgres (non-superuser)', () => freshPostgres(TEST_USER));
  runPgFamilyContract('postgres (non-superuser)', () => freshPostgres(TEST_USER));
  runLockContract('postgres (non-superuser)', () => freshPostgres(TEST_USER));
});
