// One catalog query that describes a database's schema as (key, value) rows: comparable, free of OIDs.
// $1 is sqlmig's own history schema, which is left out, as are system schemas and extension members.

export const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' AND n.nspname <> $1`;
export const notFromExtension = (oid: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
export const qualified = (schema: string, name: string) => `quote_ident(${schema}) || '.' || quote_ident(${name})`;

export const SNAPSHOT_SQL = `
SELECT 'schema ' || quote_ident(n.nspname) AS key,
       concat_ws(' | ', 'owner=' || pg_get_userbyid(n.nspowner), 'acl=' || n.nspacl::text,
                 'comment=' || obj_description(n.oid, 'pg_namespace')) AS value
  FROM pg_namespace n WHERE ${USER_NAMESPACE} AND ${notFromExtension('n.oid', 'pg_namespace')}
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence '
                      WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || ${qualified('n.nspname', 'c.relname')},
       concat_ws(' | ', 'kind=' || c.relkind::text, 'persistence=' || c.relpersistence::text, 'owner=' || pg_get_userbyid(c.relowner),
                 'acl=' || c.relacl::text, 'rls=' || c.relrowsecurity, 'force_rls=' || c.relforcerowsecurity,
                 'partition_by=' || pg_get_partkeydef(c.oid), 'partition_of=' || (SELECT ${qualified('pn.nspname', 'pc.relname')}
                   FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                   WHERE i.inhrelid = c.oid AND c.relispartition), 'bound=' || pg_get_expr(c.relpartbound, c.oid),
                 'definition=' || CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
                 'sequence=' || (SELECT concat_ws(',', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
                   FROM pg_sequence s WHERE s.seqrelid = c.oid),
                 'comment=' || obj_description(c.oid, 'pg_class'))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_NAMESPACE} AND ${notFromExtension('c.oid', 'pg_class')}
UNION ALL
SELECT 'column ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(a.attname),
       concat_ws(' | ', 'position=' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), 'type=' || format_type(a.atttypid, a.atttypmod),
                 'not_null=' || a.attnotnull, 'default=' || pg_get_expr(ad.adbin, ad.adrelid), 'identity=' || NULLIF(a.attidentity::text, ''),
                 'generated=' || NULLIF(a.attgenerated::text, ''), 'collation=' || CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
                 'acl=' || a.attacl::text, 'comment=' || col_description(c.oid, a.attnum))
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ${USER_NAMESPACE}
   AND ${notFromExtension('c.oid', 'pg_class')}
UNION ALL
SELECT 'constraint ' || COALESCE(${qualified('n.nspname', 'c.relname')}, ${qualified('tn.nspname', 'ty.typname')}) || '.' || quote_ident(con.conname),
       concat_ws(' | ', pg_get_constraintdef(con.oid), 'valid=' || con.convalidated, 'comment=' || obj_description(con.oid, 'pg_constraint'))
  FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
  LEFT JOIN pg_class c ON c.oid = con.conrelid
  LEFT JOIN pg_type ty ON ty.oid = con.contypid LEFT JOIN pg_namespace tn ON tn.oid = ty.typnamespace
 WHERE ${USER_NAMESPACE} AND (con.conrelid <> 0 OR con.contypid <> 0)
UNION ALL
SELECT 'index ' || ${qualified('n.nspname', 'ic.relname')},
       concat_ws(' | ', pg_get_indexdef(i.indexrelid), 'comment=' || obj_description(ic.oid, 'pg_class'))
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
 WHERE ${USER_NAMESPACE} AND ${notFromExtension('i.indrelid', 'pg_class')}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END
         || ${qualified('n.nspname', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       concat_ws(' | ', CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) ELSE 'returns ' || format_type(p.prorettype, NULL) END,
                 'owner=' || pg_get_userbyid(p.proowner), 'acl=' || p.proacl::text, 'comment=' || obj_description(p.oid, 'pg_proc'))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE ${USER_NAMESPACE} AND ${notFromExtension('p.oid', 'pg_proc')}
UNION ALL
SELECT CASE t.typtype WHEN 'e' THEN 'enum ' WHEN 'd' THEN 'domain ' WHEN 'c' THEN 'composite type ' WHEN 'r' THEN 'range type ' ELSE 'type ' END
         || ${qualified('n.nspname', 't.typname')},
       concat_ws(' | ',
                 'values=' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                 'base=' || CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                 'not_null=' || CASE WHEN t.typtype = 'd' THEN t.typnotnull::text END, 'default=' || t.typdefault,
                 'owner=' || pg_get_userbyid(t.typowner), 'acl=' || t.typacl::text, 'comment=' || obj_description(t.oid, 'pg_type'))
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype IN ('e', 'd', 'c', 'r', 'm') AND ${USER_NAMESPACE} AND ${notFromExtension('t.oid', 'pg_type')}
   AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_range r WHERE r.rngmultitypid = t.oid)
UNION ALL
SELECT 'extension ' || quote_ident(x.extname), concat_ws(' | ', 'version=' || x.extversion, 'schema=' || n.nspname)
  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'
UNION ALL
SELECT 'trigger ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(tg.tgname),
       concat_ws(' | ', pg_get_triggerdef(tg.oid), 'enabled=' || tg.tgenabled::text, 'comment=' || obj_description(tg.oid, 'pg_trigger'))
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT tg.tgisinternal AND ${USER_NAMESPACE}
UNION ALL
SELECT 'policy ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(pol.polname),
       concat_ws(' | ', 'command=' || pol.polcmd::text, 'permissive=' || pol.polpermissive,
                 'roles=' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END, ',' ORDER BY 1) FROM unnest(pol.polroles) r),
                 'using=' || pg_get_expr(pol.polqual, pol.polrelid), 'check=' || pg_get_expr(pol.polwithcheck, pol.polrelid))
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE ${USER_NAMESPACE}
UNION ALL
SELECT 'event trigger ' || quote_ident(e.evtname), concat_ws(' | ', e.evtevent, 'function=' || e.evtfoid::regproc::text, 'enabled=' || e.evtenabled::text)
  FROM pg_event_trigger e
`;
