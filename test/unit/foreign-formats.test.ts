import { describe, expect, it } from 'vitest';
import { foreignFileOf, foreignMarkerOf } from '../../src/core/foreign-formats.js';

describe('foreignMarkerOf', () => {
  // comment, tool, what the hint tells to do with the line
  const markers: [string, string, RegExp][] = [
    ['-- migrate:up', 'dbmate', /delete this line$/],
    ['-- migrate:down', 'dbmate', /replace this line with "-- revert:"$/],
    ['--migrate:up', 'dbmate', /delete this line$/],
    ['-- Migrate : Down', 'dbmate', /replace this line with "-- revert:"$/],
    ['-- migrate:up transaction:false', 'dbmate', /delete this line, and write "-- transaction: off" in the header/],
    ['-- migrate:down transaction:false', 'dbmate', /replace this line with "-- revert:", and write "-- transaction: off"/],
    ['-- +goose Up', 'goose', /delete this line$/],
    ['-- +goose Down', 'goose', /replace this line with "-- revert:"$/],
    ['--+goose down', 'goose', /replace this line with "-- revert:"$/],
    ['-- +goose StatementBegin', 'goose', /delete this line: sqlmig splits statements itself/],
    ['-- +goose statementend', 'goose', /delete this line: sqlmig splits statements itself/],
    ['-- +goose NO TRANSACTION', 'goose', /replace this line with "-- transaction: off" in the header$/],
    ['-- +goose ENVSUB ON', 'goose', /sqlmig does not read goose annotations/],
    ['-- +migrate Up', 'sql-migrate', /delete this line$/],
    ['-- +migrate Down', 'sql-migrate', /replace this line with "-- revert:"$/],
    ['-- +migrate StatementBegin', 'sql-migrate', /sqlmig splits statements itself/],
    ['-- +migrate StatementEnd', 'sql-migrate', /sqlmig splits statements itself/],
    ['-- +migrate Up notransaction', 'sql-migrate', /delete this line, and write "-- transaction: off" in the header/],
    ['--   +MIGRATE   up   ', 'sql-migrate', /delete this line$/],
  ];
  it.each(markers)('%s is a %s marker', (comment, tool, hint) => {
    const found = foreignMarkerOf(comment)!;
    expect(found.tool).toBe(tool);
    expect(found.message).toContain(`is a ${tool} marker`);
    expect(found.hint).toContain(`this is a ${tool} file: convert its folder with "sqlmig import --from ${tool} FOLDER"; by hand`);
    expect(found.hint).toContain('up SQL first, then a line "-- revert:", then the down SQL');
    expect(found.hint).toMatch(hint);
  });

  it('says that a down marker would run the down SQL during up', () => {
    expect(foreignMarkerOf('-- +goose Down')!.message).toBe(
      '"-- +goose Down" is a goose marker: sqlmig would read it as a comment and run the down SQL during up');
  });

  it.each([
    '-- migrate the users table', '-- migrate:upgrade later', '-- Migrate: downtime expected', '-- migrated: up',
    '-- +gooseberry', '-- goose Up', '-- +migrated Up', '-- revert:', '-- requires: a',
  ])('leaves %s alone', (comment) => {
    expect(foreignMarkerOf(comment)).toBeUndefined();
  });
});

describe('foreignFileOf', () => {
  const files: [string, string, RegExp][] = [
    ['1_users.up.sql', 'golang-migrate', /"1_users.up.sql" is a golang-migrate up file.*"sqlmig import --from golang-migrate FOLDER"; by hand, merge the pair into one file in sqlmig's format, 1_users.sql: the SQL of 1_users.up.sql, then a line "-- revert:", then the SQL of 1_users.down.sql/],
    ['000001_create_users.down.sql', 'golang-migrate', /golang-migrate down file: sqlmig would run it during up, as a migration of its own/],
    ['app/2_orders.UP.sql', 'golang-migrate', /one file in sqlmig's format, 2_orders.sql/],
    ['2024-01-31-120000_users/up.sql', 'diesel', /"2024-01-31-120000_users\/up.sql" is a diesel migration.*"sqlmig import --from diesel FOLDER".*one file in sqlmig's format, 2024-01-31-120000_users.sql/],
    ['00000000000000_diesel_initial_setup/down.sql', 'diesel', /diesel migration/],
    ['V1__init.sql', 'Flyway', /Flyway versioned migration.*"sqlmig import --from flyway FOLDER".*U1__… if there is one.*executeInTransaction=false/],
    ['V1_2__add_index.sql', 'Flyway', /Flyway versioned migration/],
    ['db/V2.10.3__add_index.sql', 'Flyway', /Flyway versioned migration/],
    ['U1__init.sql', 'Flyway', /Flyway undo migration: sqlmig would run it during up.*matching V1__… file, below that file's SQL after a line "-- revert:"/],
    ['R__views.sql', 'Flyway', /Flyway repeatable migration/],
  ];
  it.each(files)('%s is a %s file', (path, tool, text) => {
    const found = foreignFileOf(path)!;
    expect(found.tool).toBe(tool);
    expect(`${found.message} ${found.hint}`).toMatch(text);
    expect(`${found.message} ${found.hint}`).toContain(tool);
    expect(found.hint).toContain('"-- revert:"');
    expect(found.hint).toContain('sqlmig import');
  });

  it.each([
    'users.sql', 'app/up.sql', 'upgrade.sql', 'setup.sql', 'backup.sql', 'users/down.sql', '1_users.sql', 'v1__init.sql',
    'V__init.sql', 'R1__views.sql', 'V1_init.sql', 'Vendors__list.sql', '2024_cleanup/up_sync.sql',
  ])('leaves %s alone', (path) => {
    expect(foreignFileOf(path)).toBeUndefined();
  });
});
