// MySQL statements and transactions: which statements are transaction control, and which commit implicitly.

/** `autocommit`, `@@autocommit`, `@@session.autocommit` (not `@@global.autocommit`, which leaves the session alone). */
function isSessionAutocommit(name: string | undefined): boolean {
  return name !== undefined && /^(?:@@(?:session\.|local\.)?)?autocommit$/.test(name);
}

/**
 * If a statement (its first three words, lower-cased) is transaction control, which sqlmig owns in a
 * transactional file, its keyword: BEGIN [WORK] (at the top level; MariaDB's `BEGIN NOT ATOMIC` is a
 * compound statement), START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT, SET
 * autocommit, SET TRANSACTION (refused inside a transaction), XA …, and LOCK TABLES / UNLOCK TABLES,
 * which commit the open transaction implicitly.
 */
export function mysqlTransactionControl(words: readonly string[]): string | undefined {
  const [w0, w1, w2] = words;
  switch (w0) {
    case 'begin':
      return w1 === 'not' ? undefined : 'BEGIN';
    case 'start':
      return w1 === 'transaction' ? 'START TRANSACTION' : undefined;
    case 'commit':
    case 'rollback':
    case 'savepoint':
      return w0.toUpperCase();
    case 'release':
      return w1 === 'savepoint' ? 'RELEASE SAVEPOINT' : undefined;
    case 'lock':
    case 'unlock':
      return w1 === 'tables' || w1 === 'table' ? `${w0.toUpperCase()} TABLES` : undefined;
    case 'xa':
      return 'XA';
    case 'set':
      if (w1 === 'transaction') return 'SET TRANSACTION';
      return isSessionAutocommit(w1 === 'session' || w1 === 'local' ? w2 : w1) ? 'SET autocommit' : undefined;
    default:
      return undefined;
  }
}

/** First words of statements that run inside the open transaction without committing it. */
const TRANSACTIONAL = new Set([
  'select', 'insert', 'update', 'delete', 'replace', 'call', 'do', 'with', 'values', 'table', 'set',
  'load', 'handler', 'prepare', 'deallocate', 'signal', 'resignal', 'get', 'show', 'explain', 'describe', 'desc',
  'help', 'use', 'checksum',
]);

/**
 * Whether a statement (its first three words, lower-cased) ends the transaction it runs in, so that a
 * file holding one cannot run in one transaction with its history row. MySQL commits implicitly before
 * DDL (CREATE, ALTER, DROP, RENAME, TRUNCATE, CREATE INDEX…), account statements (GRANT, REVOKE,
 * CREATE USER, SET PASSWORD), LOCK TABLES, administrative statements (ANALYZE, OPTIMIZE, FLUSH…) and
 * replication control; transaction control ends it too. False for DML and the statements that leave
 * the transaction open: SELECT, INSERT, UPDATE, DELETE, REPLACE, SET, CALL (a procedure that commits
 * is not seen), DO, LOAD DATA, CREATE and DROP TEMPORARY TABLE (not rolled back, but no commit).
 * A statement not recognised counts as committing: the safe side.
 */
export function mysqlImplicitCommit(words: readonly string[]): boolean {
  const [w0, w1, w2] = words;
  if (w0 === undefined) return true;
  if ((w0 === 'create' || w0 === 'drop') && w1 === 'temporary') return false;
  if (w0 === 'load') return w1 === 'index';
  if (w0 === 'set') {
    return w1 === 'password' || (w1 === 'default' && w2 === 'role') || mysqlTransactionControl(words) === 'SET autocommit';
  }
  return !TRANSACTIONAL.has(w0);
}
