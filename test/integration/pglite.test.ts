import { freshPglite } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';
import { runDriftContract } from './drift.js';

runDriverContract('pglite', freshPglite);
runDriftContract('pglite', freshPglite);
