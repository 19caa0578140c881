-- requires: billing/003_invoices
-- transaction: off
-- CONCURRENTLY builds the index without blocking writes; it cannot run inside a transaction.

CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_unpaid_due_idx
  ON app.invoices (due_on) WHERE paid_at IS NULL;

-- revert:
DROP INDEX CONCURRENTLY IF EXISTS app.invoices_unpaid_due_idx;
