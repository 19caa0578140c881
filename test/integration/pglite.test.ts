import { freshPglite } from '../helpers/databases.js';
import { runDriverContract } from './contract.js';

runDriverContract('pglite', freshPglite);
