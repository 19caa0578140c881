// MySQL migration files for the MariaDB tests: compound statements, DELIMITER, mysqldump's executable comments, escapes.

/** A function, a trigger, two procedures (loops, a cursor, a handler) and an event, none with a DELIMITER; then calls. */
export const COMPOUND = `CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, n INT NOT NULL, size VARCHAR(10));
CREATE TABLE audit (item_id INT, note VARCHAR(100));

CREATE FUNCTION size_of(n INT) RETURNS VARCHAR(10) DETERMINISTIC
BEGIN
  DECLARE result VARCHAR(10);
  IF n > 100 THEN SET result = 'big';
  ELSEIF n > 10 THEN SET result = 'medium';
  ELSE SET result = 'small';
  END IF;
  RETURN result;
END;

CREATE TRIGGER items_size BEFORE INSERT ON items FOR EACH ROW
BEGIN
  IF NEW.n < 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative; refused';
  END IF;
  SET NEW.size = CASE WHEN NEW.n IS NULL THEN NULL ELSE size_of(NEW.n) END;
END;

CREATE PROCEDURE fill(IN upto INT)
BEGIN
  DECLARE i INT DEFAULT 1;
  counting: LOOP
    IF i > upto THEN LEAVE counting; END IF;
    INSERT INTO items (n) VALUES (i * 10);
    SET i = i + 1;
  END LOOP counting;
  WHILE i <= upto + 2 DO
    INSERT INTO items (n) VALUES (i * 100);
    SET i = i + 1;
  END WHILE;
  REPEAT
    SET i = i - 1;
  UNTIL i <= 0 END REPEAT;
END;

CREATE PROCEDURE audit_all()
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE item INT;
  DECLARE cur CURSOR FOR SELECT id FROM items ORDER BY id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
  OPEN cur;
  reading: LOOP
    FETCH cur INTO item;
    IF done THEN LEAVE reading; END IF;
    CASE
      WHEN item > 0 THEN INSERT INTO audit VALUES (item, CONCAT('seen; ', item));
      ELSE BEGIN END;
    END CASE;
  END LOOP;
  CLOSE cur;
END;

CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO
BEGIN
  DELETE FROM audit WHERE item_id IS NULL;
  INSERT INTO audit VALUES (NULL, 'nightly; done');
END;

CALL fill(3);
CALL audit_all();
-- revert:
DROP EVENT nightly;
DROP PROCEDURE audit_all;
DROP PROCEDURE fill;
DROP TRIGGER items_size;
DROP FUNCTION size_of;
DROP TABLE audit;
DROP TABLE items;
`;

/** DELIMITER lines, as the mysql client takes them, in the deploy and the revert section. */
export const DELIMITED = `DELIMITER $$
CREATE PROCEDURE greet(OUT greeting VARCHAR(20))
BEGIN
  SET greeting = 'hello; world';
END$$
CREATE TABLE counts (n INT)$$
DELIMITER ;
INSERT INTO counts VALUES (4);
-- revert:
DELIMITER //
DROP PROCEDURE greet//
DELIMITER ;
DROP TABLE counts;
`;

/** What mysqldump writes: executable comments, a trigger in DELIMITER ;; and one without. */
export const MYSQLDUMP = `/*!40101 SET @saved_cs_client = @@character_set_client */;
/*!50003 SET @saved_sql_mode = @@sql_mode */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER counts_double BEFORE INSERT ON counts FOR EACH ROW BEGIN
  IF NEW.n > 10 THEN
    SET NEW.n = NEW.n * 2;
  END IF;
END */;;
DELIMITER ;
/*!50003 CREATE*/ /*!50003 TRIGGER counts_keep AFTER INSERT ON counts FOR EACH ROW BEGIN
  SET @last = NEW.n;
END */;
/*!50003 SET sql_mode = @saved_sql_mode */ ;
INSERT INTO counts VALUES (21);
-- revert:
DROP TRIGGER counts_keep;
DROP TRIGGER counts_double;
DELETE FROM counts WHERE n = 42;
`;

/** Backslash escapes in both kinds of strings, a -- revert: line inside one, # comments. */
export const ESCAPES = `# a comment with a 'quote and a ; semicolon
CREATE TABLE notes (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100)); # a trailing one; too
INSERT INTO notes (body) VALUES ('it\\'s; here'), ("double \\"quoted\\"; too"), ('back\\\\slash');
INSERT INTO notes (body) VALUES ('a \\'quoted
-- revert:
\\' line');
INSERT INTO notes (body) VALUES ('one # not a comment');
SELECT 1--1;
-- revert:
# gone; all of it
DROP TABLE notes;
`;
