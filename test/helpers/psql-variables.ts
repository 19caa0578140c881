// psql's variable substitution on the same text, case by case: what `psql -v … -e` sends to the server.
// test/unit/variables.test.ts holds sqlmig to these; test/integration/psql-variables.test.ts checks them against psql itself.

export interface PsqlCase {
  sql: string;
  /** `psql -v name=value` for each; every one is declared (`-- vars:`) on sqlmig's side. */
  vars: Record<string, string>;
  /** What psql sends (its echo with -e). */
  sent: string;
}

export const PSQL_CASES: Record<string, PsqlCase> = {
  'a raw value': { sql: 'SELECT :n AS c;', vars: { n: '42' }, sent: 'SELECT 42 AS c;' },
  'a literal, its quote doubled': { sql: "SELECT :'s';", vars: { s: "it's" }, sent: "SELECT 'it''s';" },
  'a literal with a backslash: an E string after a space': { sql: "SELECT :'s';", vars: { s: 'a\\b' }, sent: "SELECT  E'a\\\\b';" },
  'an identifier, its quote doubled': { sql: 'SELECT 1 AS :"i";', vars: { i: 'Quo"te' }, sent: 'SELECT 1 AS "Quo""te";' },
  'nothing inside strings, quoted names, dollar bodies, E and U& strings, nested comments': {
    sql: "SELECT ':n', \":n\", $$ :n $$, $t$:n$t$, E':n\\':n', U&'\\0041:n', U&\":n\" /* :n /* :n */ */;",
    vars: { n: 'X' },
    sent: "SELECT ':n', \":n\", $$ :n $$, $t$:n$t$, E':n\\':n', U&'\\0041:n', U&\":n\" /* :n /* :n */ */;",
  },
  'a cast is no variable, but a colon after one starts one': {
    sql: 'SELECT 1::int, 2:::n, :n::text;', vars: { n: 'int' }, sent: 'SELECT 1::int, 2::int, int::text;',
  },
  'a name ends before $; touching colons; inside brackets': {
    sql: 'SELECT :n$x, :n:n, x:n, (ARRAY[1,2,3])[1:n];', vars: { n: '2' }, sent: 'SELECT 2$x, 22, x2, (ARRAY[1,2,3])[12];',
  },
  'undeclared names stay as they are': {
    sql: 'SELECT :other, :\'other\', :"other";', vars: { n: '2' }, sent: 'SELECT :other, :\'other\', :"other";',
  },
  'a quote in a raw value opens a string that runs on into the file': {
    sql: "SELECT :q, ':n' -- it's\n;", vars: { q: "a'", n: 'X' }, sent: "SELECT a', 'X' -- it's\n;",
  },
  'a line comment in a raw value ends with the value': {
    sql: 'SELECT :c :n\n, :n;', vars: { c: '1 -- note', n: 'X' }, sent: 'SELECT 1 -- note X\n, X;',
  },
  'a block comment opened in a raw value runs on into the file': {
    sql: 'SELECT :b :n */ :n;', vars: { b: '1 /* open', n: 'X' }, sent: 'SELECT 1 /* open :n */ X;',
  },
  'names beyond ASCII, and starting with _': { sql: 'SELECT :é, :_n9;', vars: { é: 'E', _n9: 'N' }, sent: 'SELECT E, N;' },
  'a quoted form ends at its first closing quote': {
    sql: 'SELECT :\'s\'\'x\', :"s""x";', vars: { s: 'v' }, sent: "SELECT 'v''x', \"v\"\"x\";",
  },
  'a colon before a space, a quoted blank or a digit starts nothing': {
    sql: "SELECT : n, :' n', :1;", vars: { n: 'X' }, sent: "SELECT : n, :' n', :1;",
  },
};
