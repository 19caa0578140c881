// The pure part of `sqlmig dump` on MySQL and MariaDB: definers and counters left out, the order, DELIMITER.
import { describe, expect, it } from 'vitest';
import { mysqlDumpSql, withoutCounter, withoutDefiner, type MysqlObject } from '../../src/core/mysql-dump.js';

describe('withoutDefiner', () => {
  it.each([
    ['CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER VIEW `v` AS select 1 AS `1`',
      'CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1 AS `1`'],
    ['CREATE DEFINER=`app user`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1',
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1'],
    ["CREATE DEFINER='o''brien'@'localhost' PROCEDURE `p`()\nBEGIN END", 'CREATE PROCEDURE `p`()\nBEGIN END'],
    ['CREATE DEFINER=`root`@`localhost` FUNCTION `f`() RETURNS int(11)\nRETURN 1', 'CREATE FUNCTION `f`() RETURNS int(11)\nRETURN 1'],
    ['CREATE DEFINER=CURRENT_USER TRIGGER t AFTER DELETE ON a FOR EACH ROW DELETE FROM b', 'CREATE TRIGGER t AFTER DELETE ON a FOR EACH ROW DELETE FROM b'],
  ])('%s', (sql, expected) => {
    expect(withoutDefiner(sql)).toBe(expected);
  });

  it('leaves a definer named in the body alone', () => {
    const sql = "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.note = 'DEFINER=`x`@`y` '";
    expect(withoutDefiner(sql)).toBe(sql);
  });
});

describe('withoutCounter', () => {
  it('drops AUTO_INCREMENT=N from the table options only', () => {
    const sql = 'CREATE TABLE `a` (\n  `AUTO_INCREMENT` int DEFAULT 3,\n  `x` varchar(9) DEFAULT \'AUTO_INCREMENT=5\'\n'
      + ') ENGINE=InnoDB AUTO_INCREMENT=12 DEFAULT CHARSET=utf8mb4 COMMENT=\'AUTO_INCREMENT=7 (x)\'';
    expect(withoutCounter(sql)).toBe('CREATE TABLE `a` (\n  `AUTO_INCREMENT` int DEFAULT 3,\n  `x` varchar(9) DEFAULT \'AUTO_INCREMENT=5\'\n'
      + ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT=\'AUTO_INCREMENT=7 (x)\'');
  });

  it('keeps the column attribute AUTO_INCREMENT and a table without a counter', () => {
    const sql = 'CREATE TABLE `a` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB';
    expect(withoutCounter(sql)).toBe(sql);
  });
});

describe('mysqlDumpSql', () => {
  const view = (name: string, from: string): MysqlObject => ({ kind: 'view', name, sql: `CREATE VIEW \`${name}\` AS select 1 from ${from}` });

  it('orders tables by name, then routines, views after the views they read, triggers as given, events', () => {
    const sql = mysqlDumpSql([
      { kind: 'event', name: 'e', sql: 'CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM a' },
      { kind: 'trigger', name: 'z_first', sql: 'CREATE TRIGGER z_first BEFORE INSERT ON b FOR EACH ROW SET NEW.x = 1' },
      view('a_top', '`m_middle`'),
      { kind: 'table', name: 'b', sql: 'CREATE TABLE `b` (x int)' },
      view('m_middle', 'z_base'),
      { kind: 'procedure', name: 'p', sql: 'CREATE PROCEDURE `p`() SELECT 1' },
      view('z_base', "b WHERE 'a_top' <> ''"),
      { kind: 'table', name: 'a', sql: 'CREATE TABLE `a` (x int)' },
      { kind: 'function', name: 'f', sql: 'CREATE FUNCTION `f`() RETURNS int RETURN 1' },
      { kind: 'trigger', name: 'a_second', sql: 'CREATE TRIGGER a_second BEFORE INSERT ON b FOR EACH ROW SET NEW.x = 2' },
    ]);
    const order = [...sql.matchAll(/^CREATE (?:TABLE|FUNCTION|PROCEDURE|VIEW|TRIGGER|EVENT) `?(\w+)/gm)].map((m) => m[1]);
    expect(order).toEqual(['a', 'b', 'f', 'p', 'z_base', 'm_middle', 'a_top', 'z_first', 'a_second', 'e']);
    expect(sql.startsWith('SET FOREIGN_KEY_CHECKS = 0;\n\n')).toBe(true);
    expect(sql.endsWith('\n\nSET FOREIGN_KEY_CHECKS = 1;')).toBe(true);
  });

  it('wraps a body holding ";" in DELIMITER lines, with a delimiter the body does not hold', () => {
    const body = (text: string): MysqlObject => ({ kind: 'procedure', name: 'p', sql: `CREATE PROCEDURE \`p\`()\nBEGIN ${text} END` });
    expect(mysqlDumpSql([body('SELECT 1;')])).toContain('DELIMITER ;;\nCREATE PROCEDURE `p`()\nBEGIN SELECT 1; END;;\nDELIMITER ;');
    expect(mysqlDumpSql([body("SELECT ';;';")])).toContain("DELIMITER $$\nCREATE PROCEDURE `p`()\nBEGIN SELECT ';;'; END$$\nDELIMITER ;");
    expect(mysqlDumpSql([{ kind: 'function', name: 'f', sql: "CREATE FUNCTION `f`() RETURNS text RETURN ';'" }]))
      .toContain("CREATE FUNCTION `f`() RETURNS text RETURN ';';");
  });

  it('is empty for an empty database', () => {
    expect(mysqlDumpSql([])).toBe('');
  });
});
