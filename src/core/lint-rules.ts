// The lint rules: stable ids, why each change breaks a running application, and the safe way to make it.

export interface LintRule {
  id: string;
  /** Why it breaks (one sentence, for the report and the README). */
  why: string;
  /** The safe way: the expand/contract steps. */
  fix: string;
}

const rules: LintRule[] = [
  {
    id: 'drop-table',
    why: 'the running application still reads or writes the table; its queries fail the moment it is gone',
    fix: 'ship an application version that no longer uses the table, then drop it in a later migration (-- allow: drop-table)',
  },
  {
    id: 'drop-column',
    why: 'running application versions still select or insert the column; their queries fail',
    fix: 'ship an application version that no longer uses the column (and stop writing it), then drop it in a later migration (-- allow: drop-column)',
  },
  {
    id: 'rename-table',
    why: 'the application knows the table by its old name; every query breaks until it is redeployed',
    fix: 'create the new table (or a view with the new name), write to both, move readers over, then drop the old name later',
  },
  {
    id: 'rename-column',
    why: 'the application knows the column by its old name; every query using it breaks',
    fix: 'add the new column, write to both (trigger or application), backfill, move readers over, then drop the old column later',
  },
  {
    id: 'alter-column-type',
    why: 'a type change rewrites the table under an ACCESS EXCLUSIVE lock and may break the application\'s reads and writes',
    fix: 'add a column of the new type, write to both, backfill in batches, switch readers, then drop the old column later',
  },
  {
    id: 'set-not-null',
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, and running versions that insert NULL start failing',
    fix: 'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan)',
  },
  {
    id: 'add-column-not-null-no-default',
    why: 'inserts from running application versions do not set the new column and fail; existing rows make the statement fail too',
    fix: 'add the column nullable (or with a constant DEFAULT), backfill, then add NOT NULL in a later migration',
  },
  {
    id: 'add-column-volatile-default',
    why: 'a volatile default (random(), gen_random_uuid(), clock_timestamp(), serial) rewrites the whole table under an ACCESS EXCLUSIVE lock',
    fix: 'add the column without a default, set the default in a second statement, and backfill existing rows in batches',
  },
  {
    id: 'create-index-not-concurrently',
    why: 'CREATE INDEX on an existing table blocks every write to it until the index is built',
    fix: 'use CREATE INDEX CONCURRENTLY in a file with "-- transaction: off"',
  },
  {
    id: 'drop-index-not-concurrently',
    why: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table, blocking reads and writes behind any running query',
    fix: 'use DROP INDEX CONCURRENTLY in a file with "-- transaction: off"',
  },
  {
    id: 'add-foreign-key-validated',
    why: 'adding a validated foreign key scans the table while blocking writes to both tables',
    fix: 'add it with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a later migration (it takes a weaker lock)',
  },
  {
    id: 'add-check-validated',
    why: 'adding a validated CHECK scans the whole table under an ACCESS EXCLUSIVE lock',
    fix: 'add it with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a later migration',
  },
  {
    id: 'add-unique-constraint',
    why: 'adding a UNIQUE or PRIMARY KEY constraint builds its index while blocking writes to the table',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY first (transaction: off), then ADD CONSTRAINT … UNIQUE USING INDEX in a later migration',
  },
  {
    id: 'truncate',
    why: 'TRUNCATE deletes every row the application relies on, under an ACCESS EXCLUSIVE lock',
    fix: 'delete the rows you mean to delete, in batches, or allow it explicitly for a table no application uses (-- allow: truncate)',
  },
  {
    id: 'irreversible',
    why: 'without a "-- revert:" section, sqlmig down cannot cross this migration',
    fix: 'add a "-- revert:" section that undoes the deploy (an empty one if nothing needs undoing)',
  },
  {
    id: 'unordered-siblings',
    why: 'two migrations touch the same table, but no requires orders them: only their names decide which runs first',
    fix: 'add a "-- requires:" line to the later one, naming the earlier',
  },
];

export const LINT_RULES: ReadonlyMap<string, LintRule> = new Map(rules.map((r) => [r.id, r]));
