// The history as the core sees it: one row per applied (or failed) migration.

/** The history table's row, as the migrator sees it. */
export interface HistoryRow {
  name: string;
  seq: number;
  checksum: string;
  requires: string[];
  /** SQL stored at apply time so that `down` works when the file is gone; null: irreversible. */
  revertSql: string | null;
  transactional: boolean;
  status: 'applied' | 'failed';
  /** For a failed `transaction: off` migration, the 1-based statement that failed. */
  failedStatement: number | null;
  error: string | null;
  appliedAt: Date;
  appliedBy: string;
  durationMs: number;
}
