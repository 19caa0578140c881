-- requires: billing/003_invoices, core/005_memberships
-- Revenue per team with its number of members, for the dashboard.

CREATE VIEW app.team_revenue AS
SELECT t.id AS team_id,
       t.name,
       (SELECT count(*) FROM app.memberships m WHERE m.team_id = t.id) AS members,
       app.team_paid_cents(t.id) AS paid_cents
FROM app.teams t;

-- revert:
DROP VIEW app.team_revenue;
