import { describe } from 'vitest';
import { freshPostgres, postgresUrl } from '../helpers/databases.js';
import { runDriverContract, runLockContract } from './contract.js';
import { runDriftContract } from './drift.js';

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  runDriverContract('postgres', freshPostgres);
  runLockContract('postgres', freshPostgres);
  runDriftContract('postgres', freshPostgres);
});
