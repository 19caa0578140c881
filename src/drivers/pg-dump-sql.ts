// The catalog queries of `sqlmig dump` on PostgreSQL and PGlite: definitions from pg_get_*def, names quoted, no OIDs in the output.
// $1 is sqlmig's history schema, left out with the system schemas and what extensions own (as in pg-snapshot-sql.ts).
import { notFromExtension, qualified, USER_NAMESPACE } from './pg-snapshot-sql.js';

const IN_USER_SCHEMA = USER_NAMESPACE;
/** Not made by another object's CREATE (a range type's constructor functions and casts): that CREATE makes them again. */
const notInternal = (oid: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'i')`;

export const SCHEMAS_SQL = `
SELECT n.oid, quote_ident(n.nspname) AS name, quote_literal(obj_description(n.oid, 'pg_namespace')) AS comment,
       n.nspacl::text[] AS acl, pg_get_userbyid(n.nspowner) AS owner
  FROM pg_namespace n WHERE ${IN_USER_SCHEMA} AND n.nspname <> 'public' AND ${notFromExtension('n.oid', 'pg_namespace')}`;

export const EXTENSIONS_SQL = `
SELECT quote_ident(x.extname) AS name, quote_ident(n.nspname) AS schema
  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'`;

/** Enums, domains, composite types and ranges, with what their CREATE needs. */
export const TYPES_SQL = `
SELECT t.oid, t.typtype AS kind, ${qualified('n.nspname', 't.typname')} AS name, n.nspname AS schema, t.typname AS plain,
       (SELECT array_agg(quote_literal(e.enumlabel) ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
       format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS not_null, t.typdefault AS "default",
       CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
            THEN (SELECT ${qualified('cn.nspname', 'co.collname')} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = t.typcollation) END AS collation,
       (SELECT array_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                         || CASE WHEN a.attcollation <> at.typcollation
                                 THEN ' COLLATE ' || (SELECT ${qualified('cn.nspname', 'co.collname')} FROM pg_collation co
                                   JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END
                         ORDER BY a.attnum)
          FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes,
       format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff,
       (SELECT ${qualified('mn.nspname', 'mt.typname')} FROM pg_type mt JOIN pg_namespace mn ON mn.oid = mt.typnamespace
         WHERE mt.oid = r.rngmultitypid) AS multirange,
       quote_literal(obj_description(t.oid, 'pg_type')) AS comment, t.typacl::text[] AS acl, pg_get_userbyid(t.typowner) AS owner
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_range r ON r.rngtypid = t.oid
 WHERE t.typtype IN ('e', 'd', 'c', 'r') AND ${IN_USER_SCHEMA} AND ${notFromExtension('t.oid', 'pg_type')}
   AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')`;

/** Sequences of their own or of serial columns; identity sequences are written with their column. */
export const SEQUENCES_SQL = `
SELECT c.oid, ${qualified('n.nspname', 'c.relname')} AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart AS start,
       s.seqincrement AS increment, s.seqmin AS min, s.seqmax AS max, s.seqcache AS cache, s.seqcycle AS cycle,
       (SELECT ${qualified('tn.nspname', 'tc.relname')} || '.' || quote_ident(a.attname)
          FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a') AS owned_by,
       quote_literal(obj_description(c.oid, 'pg_class')) AS comment, c.relacl::text[] AS acl, pg_get_userbyid(c.relowner) AS owner
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
 WHERE c.relkind = 'S' AND ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_class')}
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`;

/** Functions and procedures (pg_get_functiondef); aggregates are listed by UNSUPPORTED_SQL. */
export const FUNCTIONS_SQL = `
SELECT p.oid, ${qualified('n.nspname', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
       CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind, pg_get_functiondef(p.oid) AS definition,
       quote_literal(obj_description(p.oid, 'pg_proc')) AS comment, p.proacl::text[] AS acl, pg_get_userbyid(p.proowner) AS owner
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p') AND ${IN_USER_SCHEMA} AND ${notFromExtension('p.oid', 'pg_proc')} AND ${notInternal('p.oid', 'pg_proc')}`;

/** Tables, partitions, views and materialized views. */
export const RELATIONS_SQL = `
SELECT c.oid, c.relkind AS kind, ${qualified('n.nspname', 'c.relname')} AS name, c.relpersistence AS persistence,
       c.reloptions AS options, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       (SELECT array_agg(${qualified('pn.nspname', 'pc.relname')} ORDER BY i.inhseqno)
          FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = c.oid) AS parents,
       c.relispartition AS is_partition, CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS query,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
       quote_literal(obj_description(c.oid, 'pg_class')) AS comment, c.relacl::text[] AS acl, pg_get_userbyid(c.relowner) AS owner
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm') AND ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_class')}`;

/** Columns of tables, views and materialized views (the latter two for comments and grants), with identity sequences. */
export const COLUMNS_SQL = `
SELECT a.attrelid AS relation, a.attnum AS num, quote_ident(a.attname) AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(ad.adbin, ad.adrelid) AS "default", a.attidentity AS identity, a.attgenerated AS generated,
       CASE WHEN a.attcollation <> t.typcollation
            THEN (SELECT ${qualified('cn.nspname', 'co.collname')} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = a.attcollation) END AS collation,
       a.attislocal AS local, quote_literal(col_description(a.attrelid, a.attnum)) AS comment, a.attacl::text[] AS acl,
       (SELECT concat_ws(' ', 'SEQUENCE NAME', ${qualified('sn.nspname', 'sc.relname')}, 'START WITH', s.seqstart, 'INCREMENT BY', s.seqincrement,
                         'MINVALUE', s.seqmin, 'MAXVALUE', s.seqmax, 'CACHE', s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END)
          FROM pg_depend d JOIN pg_class sc ON sc.oid = d.objid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
          JOIN pg_sequence s ON s.seqrelid = sc.oid
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid
           AND d.refobjsubid = a.attnum AND d.deptype = 'i') AS identity_options
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ${IN_USER_SCHEMA}
   AND ${notFromExtension('c.oid', 'pg_class')}
 ORDER BY a.attrelid, a.attnum`;

/** Constraints of tables and domains; contype 'n' is a named NOT NULL (PostgreSQL 17+ for domains, 18+ for tables). */
export const CONSTRAINTS_SQL = `
SELECT con.oid, con.conrelid AS relation, con.contypid AS domain, quote_ident(con.conname) AS name, con.contype AS kind,
       pg_get_constraintdef(con.oid) AS definition, con.convalidated AS valid, con.conislocal AS local, con.conparentid <> 0 AS inherited,
       con.conkey AS columns,
       COALESCE((SELECT ${qualified('tn.nspname', 'tc.relname')} FROM pg_class tc JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                  WHERE tc.oid = con.conrelid),
                (SELECT ${qualified('tn.nspname', 'ty.typname')} FROM pg_type ty JOIN pg_namespace tn ON tn.oid = ty.typnamespace
                  WHERE ty.oid = con.contypid)) AS owner_name,
       quote_literal(obj_description(con.oid, 'pg_constraint')) AS comment
  FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
 WHERE ${IN_USER_SCHEMA} AND (con.conrelid <> 0 OR con.contypid <> 0)
   AND (con.conrelid = 0 OR ${notFromExtension('con.conrelid', 'pg_class')})
   AND (con.contypid = 0 OR ${notFromExtension('con.contypid', 'pg_type')})`;

/** Indexes that no constraint owns, not the copies partitions get from their parent's index. */
export const INDEXES_SQL = `
SELECT ${qualified('n.nspname', 'ic.relname')} AS name, pg_get_indexdef(i.indexrelid) AS definition,
       quote_literal(obj_description(ic.oid, 'pg_class')) AS comment
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
 WHERE ${IN_USER_SCHEMA} AND NOT ic.relispartition AND ${notFromExtension('i.indrelid', 'pg_class')}
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                     AND con.contype IN ('p', 'u', 'x'))`;

export const TRIGGERS_SQL = `
SELECT ${qualified('n.nspname', 'c.relname')} AS "table", quote_ident(tg.tgname) AS name, pg_get_triggerdef(tg.oid) AS definition,
       tg.tgenabled AS enabled, quote_literal(obj_description(tg.oid, 'pg_trigger')) AS comment
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_class')}`;

export const POLICIES_SQL = `
SELECT ${qualified('n.nspname', 'c.relname')} AS "table", quote_ident(pol.polname) AS name, pol.polcmd AS command,
       pol.polpermissive AS permissive,
       (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ' ORDER BY 1)
          FROM unnest(pol.polroles) r) AS roles,
       pg_get_expr(pol.polqual, pol.polrelid) AS using, pg_get_expr(pol.polwithcheck, pol.polrelid) AS check,
       quote_literal(obj_description(pol.oid, 'pg_policy')) AS comment
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE ${IN_USER_SCHEMA}`;

export const RULES_SQL = `
SELECT ${qualified('n.nspname', 'c.relname')} AS "table", quote_ident(r.rulename) AS name, pg_get_ruledef(r.oid) AS definition
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_class')}`;

export const STATISTICS_SQL = `
SELECT ${qualified('n.nspname', 's.stxname')} AS name, pg_get_statisticsobjdef(s.oid) AS definition
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE ${IN_USER_SCHEMA}`;

export const EVENT_TRIGGERS_SQL = `
SELECT quote_ident(e.evtname) AS name, e.evtevent AS event, e.evtfoid::regproc::text AS function,
       (SELECT string_agg(quote_literal(tag), ', ' ORDER BY tag) FROM unnest(e.evttags) tag) AS tags, e.evtenabled AS enabled
  FROM pg_event_trigger e WHERE ${notFromExtension('e.oid', 'pg_event_trigger')}`;

/** What the dump does not write yet, named so the user knows (objects of extensions left out). */
export const UNSUPPORTED_SQL = `
SELECT 'aggregate ' || ${qualified('n.nspname', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS object
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('a', 'w') AND ${IN_USER_SCHEMA} AND ${notFromExtension('p.oid', 'pg_proc')}
UNION ALL
SELECT 'collation ' || ${qualified('n.nspname', 'co.collname')} FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE ${IN_USER_SCHEMA} AND ${notFromExtension('co.oid', 'pg_collation')}
UNION ALL
SELECT 'operator ' || n.nspname || '.' || o.oprname FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
 WHERE ${IN_USER_SCHEMA} AND ${notFromExtension('o.oid', 'pg_operator')}
UNION ALL
SELECT 'type ' || ${qualified('n.nspname', 't.typname')} FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype = 'b' AND t.typelem = 0 AND ${IN_USER_SCHEMA} AND ${notFromExtension('t.oid', 'pg_type')}
UNION ALL
SELECT 'foreign table ' || ${qualified('n.nspname', 'c.relname')} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'f' AND ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_class')}
UNION ALL
SELECT 'text search configuration ' || ${qualified('n.nspname', 'c.cfgname')} FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
 WHERE ${IN_USER_SCHEMA} AND ${notFromExtension('c.oid', 'pg_ts_config')}
UNION ALL
SELECT 'default privileges for ' || pg_get_userbyid(d.defaclrole) FROM pg_default_acl d
UNION ALL
SELECT 'publication ' || quote_ident(p.pubname) FROM pg_publication p
UNION ALL
SELECT 'cast (' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')' FROM pg_cast c
 WHERE c.oid >= 16384 AND ${notFromExtension('c.oid', 'pg_cast')} AND ${notInternal('c.oid', 'pg_cast')}
ORDER BY 1`;

/**
 * What depends on what (FirstNormalObjectId is 16384: built-in objects are left out), with the
 * sub-objects a dump writes inside their owner mapped to it: a column default or a constraint to its
 * table or domain, a view's rewrite rule to the view, a row type or an array type to its relation or element.
 */
export const DEPENDENCIES_SQL = `
WITH owner(classid, objid, node) AS (
  SELECT 'pg_type'::regclass, t.oid, CASE WHEN t.typrelid <> 0 AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) <> 'c'
                                          THEN 'c' || t.typrelid ELSE 't' || CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A'
                                          THEN t.typelem ELSE t.oid END END
    FROM pg_type t WHERE t.oid >= 16384
  UNION ALL SELECT 'pg_class'::regclass, c.oid, CASE WHEN c.relkind = 'c' THEN 't' || c.reltype ELSE 'c' || c.oid END
    FROM pg_class c WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c')
  UNION ALL SELECT 'pg_proc'::regclass, p.oid, 'p' || p.oid FROM pg_proc p WHERE p.oid >= 16384
  UNION ALL SELECT 'pg_attrdef'::regclass, ad.oid, 'c' || ad.adrelid FROM pg_attrdef ad WHERE ad.oid >= 16384
  UNION ALL SELECT 'pg_constraint'::regclass, con.oid, CASE WHEN con.contypid <> 0 THEN 't' || con.contypid ELSE 'c' || con.conrelid END
    FROM pg_constraint con WHERE con.oid >= 16384 AND con.contype <> 'f'
  UNION ALL SELECT 'pg_rewrite'::regclass, r.oid, 'c' || r.ev_class FROM pg_rewrite r WHERE r.oid >= 16384 AND r.rulename = '_RETURN'
)
SELECT DISTINCT o.node AS dependent, r.node AS required
  FROM pg_depend d JOIN owner o ON o.classid = d.classid AND o.objid = d.objid
  JOIN owner r ON r.classid = d.refclassid AND r.objid = d.refobjid
 WHERE d.deptype IN ('n', 'a') AND o.node <> r.node
   AND NOT (d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S')`;
