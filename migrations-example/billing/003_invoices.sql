-- requires: billing/002_subscriptions
-- Invoices, and a function that totals what a team has paid.

CREATE TABLE app.invoices (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id bigint NOT NULL REFERENCES app.subscriptions (id),
  amount_cents    integer NOT NULL CHECK (amount_cents >= 0),
  due_on          date NOT NULL,
  paid_at         timestamptz
);

CREATE FUNCTION app.team_paid_cents(team uuid) RETURNS bigint
LANGUAGE sql STABLE AS $body$
  SELECT coalesce(sum(i.amount_cents), 0)
  FROM app.invoices i
  JOIN app.subscriptions s ON s.id = i.subscription_id
  WHERE s.team_id = team AND i.paid_at IS NOT NULL;
$body$;

-- revert:
DROP FUNCTION app.team_paid_cents(uuid);
DROP TABLE app.invoices;
