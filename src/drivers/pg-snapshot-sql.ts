// The catalog queries that describe a database's schema as (key, fields) rows: comparable, free of OIDs.
// $1 is sqlmig's own history schema, which is left out, as are system schemas and extension members.
//
// Two steps, so that a snapshot describes only what changed since the last one (pg-verify.ts):
// KEYS_SQL lists every object with its key and a `stamp` — the xmin of each catalog row its fields are
// read from, '-' where there is none. Inserting, updating or deleting such a row changes the stamp
// (xmin is the transaction that wrote the row version; a rollback brings the older version back, and
// its xmin with it). FIELDS_SQL[part] then describes the objects of one part whose stamps are new, by
// OID. A column's position among its table's columns depends on other rows: it is listed every time.
// A field that prints another object's name (a view's query, a column's type, a constraint's text) is
// read again only when the object's own rows change: a rename shows on the renamed object's key.

export const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' AND n.nspname <> $1`;
/**
 * Objects created after initdb have OIDs from FirstNormalObjectId on (16384; a wrapped OID counter
 * restarts there too): a range of each catalog's OID index, which skips the thousands of built-in
 * rows. Schemas are not filtered so: `public` is a built-in one.
 */
const created = (oid: string) => `${oid} >= 16384`;
// One hashed set per catalog rather than a lookup per row: a schema of thousands of columns is read in one pass.
export const notFromExtension = (oid: string, catalog: string) =>
  `${oid} NOT IN (SELECT d.objid FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND ${created('d.objid')} AND d.deptype = 'e')`;
export const qualified = (schema: string, name: string) => `quote_ident(${schema}) || '.' || quote_ident(${name})`;
/** The comment of an object (sub-object 0) of a catalog, as a join. */
const comment = (alias: string, oid: string, catalog: string, sub = '0') =>
  `LEFT JOIN pg_description ${alias} ON ${alias}.objoid = ${oid} AND ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objsubid = ${sub}`;
const fields = (...pairs: string[]) => `json_strip_nulls(json_build_object(${pairs.join(', ')}))`;
const xmins = (...rows: string[]) => rows.map((r) => `COALESCE(${r}.xmin::text, '-')`).join(` || ',' || `);

interface Part {
  /** The OID that names the object's row in its main catalog: FIELDS_SQL selects by it. */
  oid: string;
  key: string;
  stamp: string;
  fields: string;
  /** A column's position (it depends on the other columns' rows). */
  position?: string;
  /** FROM … WHERE … */
  from: string;
}

const PARTS: Part[] = [
  {
    oid: 'n.oid',
    key: `'schema ' || quote_ident(n.nspname)`,
    stamp: xmins('n', 'd'),
    fields: fields(`'owner', pg_get_userbyid(n.nspowner)`, `'acl', n.nspacl::text`, `'comment', d.description`),
    from: `pg_namespace n ${comment('d', 'n.oid', 'pg_namespace')} WHERE ${USER_NAMESPACE} AND ${notFromExtension('n.oid', 'pg_namespace')}`,
  },
  {
    oid: 'c.oid',
    key: `CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence '
      WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || ${qualified('n.nspname', 'c.relname')}`,
    // A view's query lives in pg_rewrite, a partition's parent in pg_inherits, a sequence's parameters in pg_sequence.
    stamp: `${xmins('c', 'd')} || ',' || COALESCE(CASE WHEN c.relkind IN ('v', 'm') THEN (SELECT string_agg(r.xmin::text, ',') FROM pg_rewrite r
      WHERE r.ev_class = c.oid) WHEN c.relkind = 'S' THEN (SELECT s.xmin::text FROM pg_sequence s WHERE s.seqrelid = c.oid)
      WHEN c.relispartition THEN (SELECT i.xmin::text FROM pg_inherits i WHERE i.inhrelid = c.oid)
      WHEN c.relkind = 'p' THEN (SELECT p.xmin::text FROM pg_partitioned_table p WHERE p.partrelid = c.oid) END, '-')`,
    fields: fields(`'kind', c.relkind::text`, `'persistence', c.relpersistence::text`, `'owner', pg_get_userbyid(c.relowner)`,
      `'acl', c.relacl::text`, `'rls', c.relrowsecurity`, `'force_rls', c.relforcerowsecurity`,
      `'partition_by', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END`,
      `'partition_of', CASE WHEN c.relispartition THEN (SELECT ${qualified('pn.nspname', 'pc.relname')}
         FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) END`,
      `'bound', pg_get_expr(c.relpartbound, c.oid)`,
      `'definition', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END`,
      `'sequence', CASE WHEN c.relkind = 'S' THEN (SELECT concat_ws(',', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
         s.seqmax, s.seqcache, s.seqcycle) FROM pg_sequence s WHERE s.seqrelid = c.oid) END`,
      `'comment', d.description`),
    from: `pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ${comment('d', 'c.oid', 'pg_class')}
      WHERE ${created('c.oid')} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_NAMESPACE} AND ${notFromExtension('c.oid', 'pg_class')}`,
  },
  {
    oid: 'c.oid',
    key: `'column ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(a.attname)`,
    stamp: xmins('a', 'ad', 'd'),
    position: 'row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)',
    fields: fields(`'type', format_type(a.atttypid, a.atttypmod)`, `'not_null', a.attnotnull`, `'default', pg_get_expr(ad.adbin, ad.adrelid)`,
      `'identity', NULLIF(a.attidentity::text, '')`, `'generated', NULLIF(a.attgenerated::text, '')`,
      `'collation', CASE WHEN a.attcollation <> t.typcollation THEN co.collname END`, `'acl', a.attacl::text`, `'comment', d.description`),
    from: `pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation ${comment('d', 'c.oid', 'pg_class', 'a.attnum')}
      WHERE ${created('a.attrelid')} AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ${USER_NAMESPACE}
        AND ${notFromExtension('c.oid', 'pg_class')}`,
  },
  {
    oid: 'con.oid',
    key: `'constraint ' || COALESCE(${qualified('n.nspname', 'c.relname')}, ${qualified('tn.nspname', 'ty.typname')}) || '.' || quote_ident(con.conname)`,
    stamp: xmins('con', 'd'),
    fields: fields(`'definition', pg_get_constraintdef(con.oid)`, `'valid', con.convalidated`, `'comment', d.description`),
    from: `pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace LEFT JOIN pg_class c ON c.oid = con.conrelid
      LEFT JOIN pg_type ty ON ty.oid = con.contypid LEFT JOIN pg_namespace tn ON tn.oid = ty.typnamespace ${comment('d', 'con.oid', 'pg_constraint')}
      WHERE ${created('con.oid')} AND ${USER_NAMESPACE} AND (con.conrelid <> 0 OR con.contypid <> 0)`,
  },
  {
    oid: 'i.indexrelid',
    key: `'index ' || ${qualified('n.nspname', 'ic.relname')}`,
    stamp: xmins('i', 'ic', 'd'),
    fields: fields(`'definition', pg_get_indexdef(i.indexrelid)`, `'comment', d.description`),
    from: `pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace ${comment('d', 'ic.oid', 'pg_class')}
      WHERE ${created('i.indexrelid')} AND ${USER_NAMESPACE} AND ${notFromExtension('i.indrelid', 'pg_class')}`,
  },
  {
    oid: 'p.oid',
    key: `CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END
      || ${qualified('n.nspname', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')'`,
    stamp: xmins('p', 'd'),
    fields: fields(`'arguments', CASE WHEN p.prokind <> 'a' THEN pg_get_function_arguments(p.oid) END`,
      `'returns', CASE WHEN p.prokind = 'a' THEN format_type(p.prorettype, NULL) ELSE pg_get_function_result(p.oid) END`, `'language', l.lanname`,
      `'window', NULLIF(p.prokind = 'w', false)`, `'volatility', p.provolatile::text`, `'strict', p.proisstrict`,
      `'security_definer', p.prosecdef`, `'leakproof', p.proleakproof`, `'parallel', p.proparallel::text`, `'cost', p.procost`,
      `'rows', CASE WHEN p.proretset THEN p.prorows END`, `'support', CASE WHEN p.prosupport <> 0 THEN p.prosupport::text END`,
      `'config', array_to_string(p.proconfig, ', ')`,
      // The code as written (a SQL-standard body as the server prints it): a field of its own, compared token by token.
      `'body', CASE WHEN p.prokind = 'a' THEN NULL WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END`,
      `'owner', pg_get_userbyid(p.proowner)`, `'acl', p.proacl::text`, `'comment', d.description`),
    from: `pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang ${comment('d', 'p.oid', 'pg_proc')}
      WHERE ${created('p.oid')} AND ${USER_NAMESPACE} AND ${notFromExtension('p.oid', 'pg_proc')}`,
  },
  {
    oid: 't.oid',
    key: `CASE t.typtype WHEN 'e' THEN 'enum ' WHEN 'd' THEN 'domain ' WHEN 'c' THEN 'composite type ' WHEN 'r' THEN 'range type ' ELSE 'type ' END
      || ${qualified('n.nspname', 't.typname')}`,
    stamp: `${xmins('t', 'd')} || ',' || COALESCE(CASE WHEN t.typtype = 'e' THEN (SELECT string_agg(e.xmin::text, ',' ORDER BY e.oid)
      FROM pg_enum e WHERE e.enumtypid = t.oid) END, '-')`,
    fields: fields(`'values', (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)`,
      `'base', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END`,
      `'not_null', CASE WHEN t.typtype = 'd' THEN t.typnotnull END`, `'default', t.typdefault`,
      `'owner', pg_get_userbyid(t.typowner)`, `'acl', t.typacl::text`, `'comment', d.description`),
    from: `pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ${comment('d', 't.oid', 'pg_type')}
      WHERE ${created('t.oid')} AND t.typtype IN ('e', 'd', 'c', 'r', 'm') AND ${USER_NAMESPACE} AND ${notFromExtension('t.oid', 'pg_type')}
        AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
        AND NOT EXISTS (SELECT 1 FROM pg_range r WHERE r.rngmultitypid = t.oid)`,
  },
  {
    oid: 'x.oid',
    key: `'extension ' || quote_ident(x.extname)`,
    stamp: xmins('x', 'n'),
    fields: fields(`'version', x.extversion`, `'schema', n.nspname`),
    from: `pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'`,
  },
  {
    oid: 'tg.oid',
    key: `'trigger ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(tg.tgname)`,
    stamp: xmins('tg', 'd'),
    fields: fields(`'definition', pg_get_triggerdef(tg.oid)`, `'enabled', tg.tgenabled::text`, `'comment', d.description`),
    from: `pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace ${comment('d', 'tg.oid', 'pg_trigger')}
      WHERE ${created('tg.oid')} AND NOT tg.tgisinternal AND ${USER_NAMESPACE}`,
  },
  {
    oid: 'pol.oid',
    key: `'policy ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(pol.polname)`,
    stamp: xmins('pol'),
    fields: fields(`'command', pol.polcmd::text`, `'permissive', pol.polpermissive`,
      `'roles', (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END, ',' ORDER BY 1) FROM unnest(pol.polroles) r)`,
      `'using', pg_get_expr(pol.polqual, pol.polrelid)`, `'check', pg_get_expr(pol.polwithcheck, pol.polrelid)`),
    from: `pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${created('pol.oid')} AND ${USER_NAMESPACE}`,
  },
  {
    oid: 'e.oid',
    key: `'event trigger ' || quote_ident(e.evtname)`,
    stamp: xmins('e'),
    fields: fields(`'event', e.evtevent`, `'function', e.evtfoid::regproc::text`, `'enabled', e.evtenabled::text`),
    from: 'pg_event_trigger e',
  },
];

/**
 * Every object as [part, oid, key, stamp, position], all in one JSON array: one value to send and
 * parse rather than a row of five fields per object.
 */
export const KEYS_SQL = `SELECT json_agg(json_build_array(part, oid, key, stamp, position)) AS objects FROM (${PARTS.map((p, i) => `
SELECT ${i} AS part, ${p.oid} AS oid, ${p.key} AS key, ${p.stamp} AS stamp, ${p.position ?? 'NULL::bigint'} AS position
  FROM ${p.from}`).join('\nUNION ALL')}) s`;

/** Per part: rows (key, fields) of the objects whose OIDs are in $2. */
export const FIELDS_SQL = PARTS.map((p) => `
SELECT ${p.key} AS key, ${p.fields} AS fields
  FROM ${p.from.includes(' WHERE ') ? p.from : `${p.from} WHERE true`} AND $1::text IS NOT NULL AND ${p.oid} = ANY($2::oid[])`);
