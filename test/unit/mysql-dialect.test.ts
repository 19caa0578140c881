import { describe, expect, it } from 'vitest';
import { MYSQL } from '../../src/core/dialect.js';
import type { TokenKind } from '../../src/core/lexer.js';
import { parseMigration } from '../../src/core/parse.js';
import { leadingWords } from '../../src/core/statements.js';

const kinds = (sql: string) => MYSQL.tokenize(sql).tokens.map((t) => [t.kind, sql.slice(t.start, t.end)]);
const problems = (sql: string) => MYSQL.tokenize(sql).problems.map((p) => `${p.code}@${p.offset}`);
const split = (sql: string) => {
  const { tokens } = MYSQL.tokenize(sql);
  return MYSQL.splitStatements(sql, tokens).map((s) => sql.slice(s.start, s.end));
};
const words = (sql: string) => {
  const { tokens } = MYSQL.tokenize(sql);
  const [statement] = MYSQL.splitStatements(sql, tokens);
  return leadingWords(sql, tokens, statement, 3);
};

describe('MySQL tokenize', () => {
  const cases: [string, [TokenKind, string][]][] = [
    // `--` is a comment only before whitespace or the end; otherwise two minus signs.
    ['SELECT 1--1', [['word', 'SELECT'], ['number', '1'], ['operator', '-'], ['operator', '-'], ['number', '1']]],
    ['x -- c;\ny', [['word', 'x'], ['line-comment', '-- c;'], ['word', 'y']]],
    ['x --\ty', [['word', 'x'], ['line-comment', '--\ty']]],
    ['x --', [['word', 'x'], ['line-comment', '--']]],
    ['x # c; d\ny', [['word', 'x'], ['line-comment', '# c; d'], ['word', 'y']]],
    // Backslash escapes in both kinds of string; "…" is a string, not an identifier.
    ["'it\\'s; ok'", [['string', "'it\\'s; ok'"]]],
    ["'it''s'", [['string', "'it''s'"]]],
    ["'ends in \\\\' x", [['string', "'ends in \\\\'"], ['word', 'x']]],
    ['"a \\" b; c"', [['string', '"a \\" b; c"']]],
    ['`my``col`', [['quoted-identifier', '`my``col`']]],
    // Executable comments hold SQL; ordinary block comments do not nest; hints are comments.
    ['/*! SELECT 1 */', [['executable-comment-start', '/*!'], ['word', 'SELECT'], ['number', '1'], ['executable-comment-end', '*/']]],
    ['/*!50003 CREATE*/', [['executable-comment-start', '/*!50003'], ['word', 'CREATE'], ['executable-comment-end', '*/']]],
    ['/*M!100100 x */', [['executable-comment-start', '/*M!100100'], ['word', 'x'], ['executable-comment-end', '*/']]],
    ["/*!40101 SET a = '*/' */", [['executable-comment-start', '/*!40101'], ['word', 'SET'], ['word', 'a'], ['operator', '='],
      ['string', "'*/'"], ['executable-comment-end', '*/']]],
    ['/* a /* b */ x', [['block-comment', '/* a /* b */'], ['word', 'x']]],
    ['SELECT /*+ BKA(t) */ 1', [['word', 'SELECT'], ['block-comment', '/*+ BKA(t) */'], ['number', '1']]],
    // Literals.
    ["0xFF 0b101 x'ff' X'FF' b'01' N'n\\'s'", [['number', '0xFF'], ['number', '0b101'], ['string', "x'ff'"], ['string', "X'FF'"],
      ['string', "b'01'"], ['string', "N'n\\'s'"]]],
    ["_utf8mb4'it\\'s' _latin1\"x\"", [['string', "_utf8mb4'it\\'s'"], ['string', '_latin1"x"']]],
    // Variables are one word; `\N` is NULL.
    ["@x @a.b @@autocommit @@session.sql_mode 'u'@'h' @`q`", [['word', '@x'], ['word', '@a.b'], ['word', '@@autocommit'],
      ['word', '@@session.sql_mode'], ['string', "'u'"], ['operator', '@'], ['string', "'h'"], ['operator', '@'], ['quoted-identifier', '`q`']]],
    ['SELECT \\N', [['word', 'SELECT'], ['word', '\\N']]],
    // No dollar quotes: `$$` is no body.
    ['$$ a; $$', [['parameter', '$$'], ['word', 'a'], ['semicolon', ';'], ['parameter', '$$']]],
    // DELIMITER lines, and the delimiter they set ending whatever it touches.
    ['DELIMITER $$\nEND$$\nDELIMITER ;\nx;', [['delimiter-command', 'DELIMITER $$'], ['word', 'END'], ['delimiter', '$$'],
      ['delimiter-command', 'DELIMITER ;'], ['word', 'x'], ['semicolon', ';']]],
    ['delimiter //\na; b //', [['delimiter-command', 'delimiter //'], ['word', 'a'], ['semicolon', ';'], ['word', 'b'], ['delimiter', '//']]],
    ["DELIMITER ;;\n'a;;' ;; # ;;\nx;;", [['delimiter-command', 'DELIMITER ;;'], ['string', "'a;;'"], ['delimiter', ';;'],
      ['line-comment', '# ;;'], ['word', 'x'], ['delimiter', ';;']]],
    ["DELIMITER '$$' -- quoted\nx$$", [['delimiter-command', "DELIMITER '$$' -- quoted"], ['word', 'x'], ['delimiter', '$$']]],
    ['DELIMITER go\nx GO', [['delimiter-command', 'DELIMITER go'], ['word', 'x'], ['delimiter', 'GO']]],
    // A column named delimiter inside a statement is no command.
    ['SELECT a,\n  delimiter AS d\nFROM t', [['word', 'SELECT'], ['word', 'a'], ['operator', ','], ['word', 'delimiter'], ['word', 'AS'],
      ['word', 'd'], ['word', 'FROM'], ['word', 't']]],
    // A label named like a client command is no command.
    ['status: LOOP', [['word', 'status'], ['operator', ':'], ['word', 'LOOP']]],
  ];
  it.each(cases)('%j', (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
    expect(problems(sql)).toEqual([]);
  });

  const wrong: [string, string[]][] = [
    ["SELECT 'abc", ['unterminated-string@7']],
    ['SELECT "abc\\"', ['unterminated-string@7']],
    ['SELECT `abc', ['unterminated-identifier@7']],
    ['x /* a', ['unterminated-comment@2']],
    ['/*!50003 CREATE TRIGGER', ['unterminated-comment@0']],
    // `--x` at the start of a line was meant as a comment; elsewhere it may be arithmetic.
    ['--revert:\nx', ['dash-comment-without-space@0']],
    ['x;\n  ----------\ny', ['dash-comment-without-space@5']],
    ["--don't\nx", ['dash-comment-without-space@0']],
    ['SELECT a\n--1', []],
    // Other client commands are not SQL.
    ['source schema.sql', ['client-command@0']],
    ['SELECT 1;\n\\. other.sql', ['client-command@10']],
    ['SELECT 1\\G', ['client-command@8']],
    ['SELECT 1;\nexit', ['client-command@10']],
    ['quit;', ['client-command@0']],
    ['SELECT source\nFROM t', []],
    ['SELECT 1\nsource', []],
    // DELIMITER lines that set none.
    ['DELIMITER', ['invalid-delimiter@0']],
    ['DELIMITER \\\\', ['invalid-delimiter@0']],
    ['DELIMITER $$ ;', ['invalid-delimiter@0']],
  ];
  it.each(wrong)('%j -> %j', (sql, expected) => expect(problems(sql)).toEqual(expected));
});

describe('MySQL splitStatements', () => {
  const procedure = `CREATE DEFINER=\`admin\`@\`%\` PROCEDURE archive_orders(IN cutoff DATE, OUT moved INT)
    MODIFIES SQL DATA
BEGIN
  DECLARE done INT DEFAULT FALSE;
  DECLARE v_id BIGINT;
  DECLARE cur CURSOR FOR SELECT id FROM orders WHERE created_at < cutoff;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  SET moved = 0;
  OPEN cur;
  read_loop: LOOP
    FETCH cur INTO v_id;
    IF done THEN
      LEAVE read_loop;
    END IF;
    INSERT INTO orders_archive SELECT * FROM orders WHERE id = v_id;
    DELETE FROM orders WHERE id = v_id;
    SET moved = moved + IF(ROW_COUNT() > 0, 1, 0);
  END LOOP read_loop;
  CLOSE cur;
END`;

  const trigger = `CREATE TRIGGER orders_status_bu BEFORE UPDATE ON orders
FOR EACH ROW
BEGIN
  IF NEW.status = 'shipped' AND OLD.status <> 'shipped' THEN
    SET NEW.shipped_at = NOW();
  ELSEIF NEW.status = 'cancelled' THEN
    SET NEW.cancelled_at = NOW(), NEW.note = CONCAT(IFNULL(OLD.note, ''), '; cancelled');
  ELSE
    SET NEW.updated_at = NOW();
  END IF;
END`;

  const event = `CREATE EVENT IF NOT EXISTS purge_sessions
  ON SCHEDULE EVERY 1 HOUR STARTS '2024-01-01 00:00:00'
  ON COMPLETION PRESERVE
  DO BEGIN
    DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL 1 DAY;
    INSERT INTO job_log (job, ran_at) VALUES ('purge_sessions', NOW());
  END`;

  const fn = `CREATE FUNCTION order_tier(total DECIMAL(10,2)) RETURNS VARCHAR(10)
  DETERMINISTIC NO SQL
BEGIN
  DECLARE tier VARCHAR(10);
  CASE
    WHEN total >= 1000 THEN SET tier = 'gold';
    WHEN total >= 100 THEN SET tier = 'silver';
    ELSE SET tier = 'bronze';
  END CASE;
  RETURN tier;
END`;

  const loops = `CREATE PROCEDURE fill_grid(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE j INT;
  outer_loop: WHILE i < n DO
    SET j = 0;
    inner_loop: REPEAT
      IF (i + j) % 2 = 0 THEN
        ITERATE inner_loop;
      END IF;
      INSERT INTO grid (x, y, label) VALUES (i, j, REPEAT('#', j));
      SET j = j + 1;
    UNTIL j >= n END REPEAT inner_loop;
    SET i = i + 1;
    IF i > 100 THEN LEAVE outer_loop; END IF;
  END WHILE outer_loop;
END`;

  const cases: [string, string, string[]][] = [
    ['a procedure with a cursor, handlers, a labelled loop and the IF function', `${procedure};\nSELECT 1;`, [procedure, 'SELECT 1']],
    ['a trigger with IF, ELSEIF, ELSE', `${trigger};\n${trigger}`, [trigger, trigger]],
    ['an event whose body is BEGIN … END', `${event};\nSHOW EVENTS`, [event, 'SHOW EVENTS']],
    ['a function with a CASE statement and RETURN', `${fn};\nSELECT order_tier(5)`, [fn, 'SELECT order_tier(5)']],
    ['labels and nested loops, the REPEAT function', `${loops};\nCALL fill_grid(3);`, [loops, 'CALL fill_grid(3)']],
    ['a function whose body is one RETURN',
      'CREATE FUNCTION sign_of(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, 1, IF(x < 0, -1, 0));\nSELECT sign_of(2)',
      ['CREATE FUNCTION sign_of(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, 1, IF(x < 0, -1, 0))', 'SELECT sign_of(2)']],
    ['a CASE expression in a one-statement body',
      "CREATE FUNCTION f(x INT) RETURNS CHAR(1) RETURN CASE WHEN x > 0 THEN '+' ELSE '-' END; SELECT 1",
      ["CREATE FUNCTION f(x INT) RETURNS CHAR(1) RETURN CASE WHEN x > 0 THEN '+' ELSE '-' END", 'SELECT 1']],
    ['a trigger body that is one statement',
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1;\nINSERT INTO x VALUES (1);',
      ['CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1', 'INSERT INTO x VALUES (1)']],
    ['a trigger body that is a bare IF',
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF (NEW.a < 0) THEN SET NEW.a = 0; END IF; SELECT 1',
      ['CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF (NEW.a < 0) THEN SET NEW.a = 0; END IF', 'SELECT 1']],
    ['IF [NOT] EXISTS in DDL inside a body, and as an IF condition',
      `CREATE PROCEDURE add_email_index()
BEGIN
  DROP TEMPORARY TABLE IF EXISTS tmp_ids;
  CREATE TEMPORARY TABLE IF NOT EXISTS tmp_ids (id INT);
  IF NOT EXISTS (SELECT 1 FROM information_schema.statistics WHERE index_name = 'users_email') THEN
    CREATE INDEX users_email ON users (email);
  END IF;
END; CALL add_email_index()`,
      [`CREATE PROCEDURE add_email_index()
BEGIN
  DROP TEMPORARY TABLE IF EXISTS tmp_ids;
  CREATE TEMPORARY TABLE IF NOT EXISTS tmp_ids (id INT);
  IF NOT EXISTS (SELECT 1 FROM information_schema.statistics WHERE index_name = 'users_email') THEN
    CREATE INDEX users_email ON users (email);
  END IF;
END`, 'CALL add_email_index()']],
    ['a handler whose body is a bare IF, a CASE statement holding an IF statement and an empty block',
      "CREATE PROCEDURE p(x INT) BEGIN DECLARE CONTINUE HANDLER FOR SQLSTATE '23000' IF (x > 0) THEN SET x = 0; END IF; "
        + 'CASE x WHEN 1 THEN IF (x) THEN SELECT 1; END IF; ELSE BEGIN END; END CASE; END; SELECT 1',
      ["CREATE PROCEDURE p(x INT) BEGIN DECLARE CONTINUE HANDLER FOR SQLSTATE '23000' IF (x > 0) THEN SET x = 0; END IF; "
        + 'CASE x WHEN 1 THEN IF (x) THEN SELECT 1; END IF; ELSE BEGIN END; END CASE; END', 'SELECT 1']],
    ['the IF function after THEN in a CASE expression: END closes the CASE',
      'CREATE PROCEDURE p() BEGIN SET x = CASE WHEN a THEN IF(b, 1, 2) ELSE 0 END; SELECT x; END; SELECT 7',
      ['CREATE PROCEDURE p() BEGIN SET x = CASE WHEN a THEN IF(b, 1, 2) ELSE 0 END; SELECT x; END', 'SELECT 7']],
    ['bodies with no BEGIN: an event DO IF, a procedure REPEAT, an IF after a COMMENT',
      "CREATE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' DO IF (SELECT COUNT(*) FROM t) > 0 THEN DELETE FROM t; END IF;\n"
        + 'CREATE PROCEDURE p() REPEAT SET @x = @x + 1; UNTIL @x > 3 END REPEAT;\n'
        + "CREATE PROCEDURE q() COMMENT 'x' IF (@y) THEN SELECT 1; END IF;",
      ["CREATE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' DO IF (SELECT COUNT(*) FROM t) > 0 THEN DELETE FROM t; END IF",
        'CREATE PROCEDURE p() REPEAT SET @x = @x + 1; UNTIL @x > 3 END REPEAT', "CREATE PROCEDURE q() COMMENT 'x' IF (@y) THEN SELECT 1; END IF"]],
    ['FOR UPDATE and FOLLOWS open nothing',
      'CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW FOLLOWS t0 BEGIN SELECT * FROM b FOR UPDATE; END; SELECT 5',
      ['CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW FOLLOWS t0 BEGIN SELECT * FROM b FOR UPDATE; END', 'SELECT 5']],
    ['CREATE FUNCTION IF NOT EXISTS', 'CREATE FUNCTION IF NOT EXISTS one() RETURNS INT DETERMINISTIC RETURN 1; SELECT one()',
      ['CREATE FUNCTION IF NOT EXISTS one() RETURNS INT DETERMINISTIC RETURN 1', 'SELECT one()']],
    ['begin and end as column names inside a body',
      'CREATE PROCEDURE spans() BEGIN SELECT begin, end FROM spans ORDER BY end; UPDATE spans SET end = begin WHERE t.end IS NULL; END; SELECT 2',
      ['CREATE PROCEDURE spans() BEGIN SELECT begin, end FROM spans ORDER BY end; UPDATE spans SET end = begin WHERE t.end IS NULL; END', 'SELECT 2']],
    ["MariaDB's BEGIN NOT ATOMIC and FOR loop",
      'BEGIN NOT ATOMIC FOR i IN 1..3 DO INSERT INTO t VALUES (i); END FOR; END; SELECT 3',
      ['BEGIN NOT ATOMIC FOR i IN 1..3 DO INSERT INTO t VALUES (i); END FOR; END', 'SELECT 3']],
    ['ALTER EVENT … DO BEGIN … END', 'ALTER EVENT e DO BEGIN DELETE FROM a; DELETE FROM b; END; SELECT 4',
      ['ALTER EVENT e DO BEGIN DELETE FROM a; DELETE FROM b; END', 'SELECT 4']],
    ['CREATE OR REPLACE DEFINER with an unquoted user (MariaDB)',
      'CREATE OR REPLACE DEFINER = app@localhost PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; SELECT 5',
      ['CREATE OR REPLACE DEFINER = app@localhost PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 5']],
    ['no compound: a top-level BEGIN, a view, a table with a column named event',
      'BEGIN; CREATE DEFINER = CURRENT_USER VIEW v AS SELECT IF(a, 1, 2) FROM t; CREATE TABLE log (event TEXT, `begin` INT); COMMIT',
      ['BEGIN', 'CREATE DEFINER = CURRENT_USER VIEW v AS SELECT IF(a, 1, 2) FROM t', 'CREATE TABLE log (event TEXT, `begin` INT)', 'COMMIT']],
    ["strings with \\' and ;, # comments with ;, --x arithmetic",
      "INSERT INTO notes VALUES ('it\\'s; done', \"say \\\"hi\\\"; bye\"); # trailing; comment\nSELECT 3--1; -- done; really\nSELECT 1",
      ["INSERT INTO notes VALUES ('it\\'s; done', \"say \\\"hi\\\"; bye\")", 'SELECT 3--1', 'SELECT 1']],
    ['DELIMITER $$ around a procedure, semicolons inside kept',
      'DELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1; SELECT 2;\nEND$$\nDELIMITER ;\nCALL p();',
      ['CREATE PROCEDURE p()\nBEGIN\n  SELECT 1; SELECT 2;\nEND', 'CALL p()']],
    ['between two delimiters the text is one statement',
      'DELIMITER //\nSELECT 1; SELECT 2 //\nDELIMITER ;',
      ['SELECT 1; SELECT 2']],
    ['a DELIMITER line ends an unfinished statement', 'SELECT 1\nDELIMITER $$\nSELECT 2$$', ['SELECT 1', 'SELECT 2']],
    ['comment-only pieces are dropped', '# nothing\n;; -- here\n', []],
  ];
  it.each(cases)('%s', (_, sql, expected) => expect(split(sql)).toEqual(expected));

  it('keeps a mysqldump trigger and routine block whole, with and without its DELIMITER lines', () => {
    const triggerBody = "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `orders_bi` BEFORE INSERT ON `orders` "
      + "FOR EACH ROW BEGIN\n  IF NEW.total < 0 THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative total';\n  END IF;\nEND */";
    const procedureBody = 'CREATE DEFINER=`root`@`localhost` PROCEDURE `touch`(IN p_id INT)\nBEGIN\n  UPDATE t SET at = NOW() WHERE id = p_id;\nEND';
    const dump = `/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE \`orders\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`total\` decimal(10,2) NOT NULL DEFAULT '0.00',
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE' */ ;
DELIMITER ;;
${triggerBody};;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
DELIMITER ;;
${procedureBody} ;;
DELIMITER ;
`;
    const expected = [
      '/*!40101 SET @saved_cs_client     = @@character_set_client */',
      '/*!50503 SET character_set_client = utf8mb4 */',
      "CREATE TABLE `orders` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `total` decimal(10,2) NOT NULL DEFAULT '0.00',\n  PRIMARY KEY (`id`)\n)"
        + ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
      '/*!40101 SET character_set_client = @saved_cs_client */',
      '/*!50003 SET @saved_sql_mode       = @@sql_mode */',
      "/*!50003 SET sql_mode              = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE' */",
      triggerBody,
      '/*!50003 SET sql_mode              = @saved_sql_mode */',
      procedureBody,
    ];
    expect(split(dump)).toEqual(expected);
    // Without DELIMITER lines the block matcher sees the SQL inside the executable comments.
    expect(split(dump.replace(/^DELIMITER .*\n/gm, '').replaceAll(';;', ';'))).toEqual(expected);
    expect(words(triggerBody)).toEqual(['create', 'definer']);
    expect(words('/*!40101 SET NAMES utf8mb4 */')).toEqual(['set', 'names', 'utf8mb4']);
  });

  it('keeps a body of 20 000 IF blocks whole', () => {
    const body = 'IF a THEN SET b = IF(c, 1, 2); END IF; '.repeat(20_000);
    const sql = `CREATE PROCEDURE p() BEGIN ${body}END; SELECT 1`;
    expect(split(sql)).toEqual([`CREATE PROCEDURE p() BEGIN ${body}END`, 'SELECT 1']);
  });
});

describe('MySQL transaction control and implicit commits', () => {
  const control: [string, string | undefined][] = [
    ['BEGIN', 'BEGIN'], ['begin work', 'BEGIN'], ['BEGIN NOT ATOMIC SELECT 1; END', undefined],
    ['START TRANSACTION READ ONLY', 'START TRANSACTION'], ['start replica', undefined],
    ['COMMIT AND NO CHAIN', 'COMMIT'], ['ROLLBACK TO SAVEPOINT a', 'ROLLBACK'], ['SAVEPOINT a', 'SAVEPOINT'],
    ['RELEASE SAVEPOINT a', 'RELEASE SAVEPOINT'], ['LOCK TABLES t WRITE', 'LOCK TABLES'], ['lock table t read', 'LOCK TABLES'],
    ['UNLOCK TABLES', 'UNLOCK TABLES'], ["XA START 'x'", 'XA'], ['SET autocommit = 0', 'SET autocommit'],
    ['SET SESSION autocommit=1', 'SET autocommit'], ['SET @@autocommit := 0', 'SET autocommit'],
    ['SET @@session.autocommit = 0', 'SET autocommit'], ['SET @@global.autocommit = 0', undefined], ['SET GLOBAL autocommit = 1', undefined],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'SET TRANSACTION'], ['SET SESSION TRANSACTION READ ONLY', undefined],
    ['/*!40101 SET autocommit = 0 */', 'SET autocommit'], ['SET NAMES utf8mb4', undefined],
    ['CREATE PROCEDURE p() BEGIN COMMIT; END', undefined], ['END', undefined], ['ABORT', undefined],
  ];
  it.each(control)('%j -> %j', (sql, expected) => expect(MYSQL.transactionControl(words(sql))).toBe(expected));

  const commits: [string, boolean][] = [
    ['CREATE TABLE t (id INT)', true], ['ALTER TABLE t ADD c INT', true], ['DROP TABLE t', true], ['RENAME TABLE a TO b', true],
    ['TRUNCATE TABLE t', true], ['CREATE INDEX i ON t (c)', true], ['CREATE PROCEDURE p() BEGIN SELECT 1; END', true],
    ["GRANT SELECT ON db.* TO 'u'@'%'", true], ["REVOKE ALL ON db.* FROM 'u'", true], ["CREATE USER 'u'", true],
    ["SET PASSWORD FOR 'u' = 'x'", true], ['SET DEFAULT ROLE r TO u', true], ['SET autocommit = 1', true],
    ['ANALYZE TABLE t', true], ['OPTIMIZE TABLE t', true], ['FLUSH PRIVILEGES', true], ['LOCK TABLES t WRITE', true],
    ['START TRANSACTION', true], ['COMMIT', true], ['LOAD INDEX INTO CACHE t', true], ['EXECUTE stmt', true],
    ['(SELECT 1)', true], ['INSTALL PLUGIN x SONAME "x.so"', true],
    ['CREATE TEMPORARY TABLE tmp (id INT)', false], ['DROP TEMPORARY TABLE tmp', false],
    ['INSERT INTO t VALUES (1)', false], ['UPDATE t SET a = 1', false], ['DELETE FROM t', false], ['REPLACE INTO t VALUES (1)', false],
    ['SELECT 1', false], ['WITH x AS (SELECT 1) SELECT * FROM x', false], ['SET @a = 1', false], ['SET NAMES utf8mb4', false],
    ["SET sql_mode = ''", false], ['CALL p()', false], ['DO SLEEP(0)', false], ["LOAD DATA INFILE 'f' INTO TABLE t", false],
    ['/*!40000 ALTER TABLE `t` DISABLE KEYS */', true], ['/*!40101 SET NAMES utf8 */', false],
  ];
  it.each(commits)('%j -> %j', (sql, expected) => expect(MYSQL.implicitCommit!(words(sql))).toBe(expected));
});

describe('parseMigration with MYSQL', () => {
  const enc = new TextEncoder();
  const parse = (text: string) => parseMigration({ path: 'db/m.sql', name: 'm', bytes: enc.encode(text) }, MYSQL);
  const errors = (text: string) =>
    parse(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.position?.line}:${d.position?.column} ${d.code}`);
  const ok = (text: string) => {
    const r = parse(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return r.value!;
  };
  const statementsOf = (sql: string) => split(sql);

  it('splits a file with a procedure and a revert section into its sections', () => {
    const text = [
      '-- requires: orders',
      '# Moves old orders away; run nightly.',
      '',
      'CREATE PROCEDURE archive(IN cutoff DATE)',
      'BEGIN',
      '  INSERT INTO orders_archive SELECT * FROM orders WHERE created_at < cutoff; -- copy',
      "  DELETE FROM orders WHERE created_at < cutoff; # then delete; 'not a string",
      'END;',
      '',
      '-- revert:',
      'DROP PROCEDURE IF EXISTS archive;',
      '',
    ].join('\n');
    const m = ok(text);
    expect(m.requires.map((r) => r.name)).toEqual(['orders']);
    expect(m.deploy.sql.startsWith('CREATE PROCEDURE archive')).toBe(true);
    expect(statementsOf(m.deploy.sql)).toEqual([m.deploy.sql.slice(0, m.deploy.sql.indexOf('END;') + 3)]);
    expect(m.revert!.sql).toBe('DROP PROCEDURE IF EXISTS archive;\n');
    expect(statementsOf(m.revert!.sql)).toEqual(['DROP PROCEDURE IF EXISTS archive']);
  });

  it('honours DELIMITER lines, which are not comments: they end the header and stay in the section', () => {
    const text = '-- requires: a\nDELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n-- revert:\nDROP PROCEDURE p;\n';
    const m = ok(text);
    expect(m.deploy.sql).toBe('DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n');
    expect(statementsOf(m.deploy.sql)).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; END']);
    expect(m.revert!.sql).toBe('DROP PROCEDURE p;\n');
    // The delimiter is part of what runs: changing it is drift, as any change to the deploy section.
    expect(parse(text.replaceAll('$$', '//')).value!.checksum).not.toBe(m.checksum);
    expect(errors('DELIMITER $$\n-- requires: a\nSELECT 1$$')).toEqual(['2:1 directive-below-header']);
  });

  it('reports DELIMITER lines that cut a statement short or outlive their section', () => {
    expect(errors('DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\n')).toEqual(['3:1 delimiter-inside-statement']);
    expect(errors('CREATE TABLE t (id INT)\nDELIMITER $$\nSELECT 1$$\nDELIMITER ;')).toEqual(['2:1 delimiter-inside-statement']);
    expect(errors('CREATE PROCEDURE p() BEGIN\n  SELECT 1;\nDELIMITER ;')).toEqual(['3:1 delimiter-inside-statement']);
    expect(errors('DELIMITER $$\nSELECT 1$$\n-- revert:\nSELECT 2$$\n')).toEqual(['1:1 delimiter-not-restored']);
    expect(errors('SELECT 1;\n-- verify:\nDELIMITER //\nSELECT 2 //\n-- revert:\nSELECT 3;')).toEqual(['3:1 delimiter-not-restored']);
    // The last section may end with the delimiter changed: nothing follows it.
    expect(errors('SELECT 1;\n-- revert:\nDELIMITER $$\nDROP PROCEDURE p$$\n')).toEqual([]);
    // A section may end without its terminator, as anywhere.
    expect(errors('DELIMITER $$\nSELECT 1$$\nDELIMITER ;\nSELECT 2\n-- revert:\nSELECT 3')).toEqual([]);
  });

  it('refuses transaction control at the top level of a transactional file', () => {
    expect(errors('START TRANSACTION;\nINSERT INTO t VALUES (1);\nCOMMIT;')).toEqual(['1:1 transaction-control', '3:1 transaction-control']);
    expect(errors('LOCK TABLES t WRITE;\nINSERT INTO t VALUES (1);\nUNLOCK TABLES;')).toEqual(['1:1 transaction-control', '3:1 transaction-control']);
    expect(errors('SET SESSION autocommit = 0;\nSELECT 1;\n-- revert:\nSET @@autocommit = 1;')).toEqual(['1:1 transaction-control', '4:1 transaction-control']);
    expect(parse('BEGIN;\nSELECT 1;').diagnostics[0]?.message).toBe('BEGIN in a transactional migration');
    // Inside a compound statement, BEGIN opens a block and COMMIT belongs to the procedure.
    expect(errors('CREATE PROCEDURE p() BEGIN START TRANSACTION; UPDATE t SET a = 1; COMMIT; END;')).toEqual([]);
    expect(errors('BEGIN NOT ATOMIC SELECT 1; END;')).toEqual([]);
    expect(errors('-- transaction: off\nLOCK TABLES t WRITE;\nUNLOCK TABLES;')).toEqual([]);
  });

  it('reports lines that look like comments, markers or directives but are not', () => {
    expect(errors('--requires: a\nSELECT 1;')).toEqual(['1:1 dash-comment-without-space']);
    expect(errors('SELECT 1;\n--revert:\nSELECT 2;')).toEqual(['2:1 dash-comment-without-space']);
    expect(errors('SELECT 1;\n# revert:\nSELECT 2;')).toEqual(['2:1 hash-marker']);
    expect(errors('#requires: a\n# transaction: off\n# Note: fine\nSELECT 1;\n# Requires: b')).toEqual(['1:1 hash-marker', '2:1 hash-marker', '5:1 hash-marker']);
    expect(parse('# Revert: https://example.com\nSELECT 1;\n# revert: later').diagnostics).toEqual([]);
    expect(errors('source schema.sql\nSELECT 1;\nexit')).toEqual(['1:1 client-command', '3:1 client-command']);
    expect(errors('SELECT * FROM t\\G')).toEqual(['1:16 client-command']);
    expect(parse('SELECT 1\\G').diagnostics[0]).toMatchObject({
      message: '"\\G" is a mysql client command, not SQL', hint: 'end the statement with ; (or with the delimiter a DELIMITER line set)',
    });
    // MySQL's quoting: no PostgreSQL meta-command, no unterminated string in a # comment.
    expect(errors("SELECT 'a\\\\'; # it's\nSELECT \"b\";")).toEqual([]);
  });
});
