import { freshPglite } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';
import { runDriftContract } from './drift.js';
import { runPgFamilyContract } from './pg-family.js';
import { runRepeatableContract } from './repeatable.js';

runDriverContract('pglite', freshPglite);
runPgFamilyContract('pglite', freshPglite);
runDriftContract('pglite', freshPglite);
runRepeatableContract('pglite', freshPglite, { positions: true });
