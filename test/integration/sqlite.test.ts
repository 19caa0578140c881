// The driver contract on SQLite, as a file and in memory, and what only SQLite has (see sqlite-engine.ts).
import { freshSqliteFile, freshSqliteMemory } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';

runDriverContract('sqlite (file)', freshSqliteFile);
runDriverContract('sqlite (memory)', freshSqliteMemory);
