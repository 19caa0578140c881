// The driver contract on MariaDB, and what only MySQL and MariaDB have.
import { describe } from 'vitest';
import { freshMysql, mysqlUrl } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';
import { runDriftContract } from './drift.js';

describe.skipIf(!mysqlUrl)('MariaDB', () => {
  runDriverContract('mariadb', freshMysql);
  runDriftContract('mariadb', freshMysql);
});
