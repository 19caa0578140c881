import { describe } from 'vitest';
import { freshPostgres, postgresUrl } from '../helpers/databases.js';
import { runDriverContract, runLockContract } from './contract.js';

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  runDriverContract('postgres', freshPostgres);
  runLockContract('postgres', freshPostgres);
});
