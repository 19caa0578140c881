import { describe } from 'vitest';
import { freshPostgres, postgresUrl } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';
import { runLockContract, runPgFamilyContract } from './pg-family.js';
import { runDriftContract } from './drift.js';
import { runRepeatableContract } from './repeatable.js';

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  runDriverContract('postgres', freshPostgres);
  runPgFamilyContract('postgres', freshPostgres);
  runLockContract('postgres', freshPostgres);
  runDriftContract('postgres', freshPostgres);
  runRepeatableContract('postgres', freshPostgres, { positions: true });
});
