// The catalog queries that describe a database's schema as (key, fields) rows: comparable, free of OIDs.
// sqlmig's own history schema is left out, as are system schemas and extension members.
//
// A snapshot lists every object once (`full`, see FUNCTIONS); after that, it asks which catalog rows
// were written since the last one and which are gone (`changes`), and lists again only the objects of
// the owners those rows belong to (`list_N`): see pg-snapshot.ts. An owner is a tag such
// as `r16433` (a relation and its columns), `p16500` (a function), `k…` (a constraint): what a catalog
// row's change can alter. A field that prints another object's name (a view's query, a column's type,
// a constraint's text) is read again only when the object's own rows change; a renamed schema,
// relation or type changes other objects' keys, and makes the next snapshot list everything again.

const userNamespace = (history: string) => `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' AND n.nspname <> ${history}`;
/** $1: the history schema. */
export const USER_NAMESPACE = userNamespace('$1');
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

interface Part {
  /** The owner tag (see above): each object has one, and is described again when its owner changes. */
  owner: string;
  /** For a listing of some owners: those whose OIDs are in $2, through an index. */
  listed: string;
  key: string;
  fields: string;
  /** A column's position (it depends on the other columns' rows). */
  position?: string;
  /** FROM … WHERE … */
  from: string;
}

/** Whether an object is an extension's member: `notFromExtension` for every object, this for a few (an index lookup each). */
type NotMember = (oid: string, catalog: string) => string;
const notMemberOne: NotMember = (oid, catalog) =>
  `NOT EXISTS (SELECT FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

const parts = (notFromExtension: NotMember): Part[] => [
  {
    owner: `'n' || n.oid`,
    listed: `n.oid = ANY($2)`,
    key: `'schema ' || quote_ident(n.nspname)`,
    fields: fields(`'owner', pg_get_userbyid(n.nspowner)`, `'acl', n.nspacl::text`, `'comment', d.description`),
    from: `pg_namespace n ${comment('d', 'n.oid', 'pg_namespace')} WHERE ${USER_NAMESPACE} AND ${notFromExtension('n.oid', 'pg_namespace')}`,
  },
  {
    owner: `'r' || c.oid`,
    listed: `c.oid = ANY($2)`,
    key: `CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence '
      WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || ${qualified('n.nspname', 'c.relname')}`,
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
    owner: `'r' || c.oid`,
    listed: `a.attrelid = ANY($2)`,
    key: `'column ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(a.attname)`,
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
    owner: `'k' || con.oid`,
    listed: `con.oid = ANY($2)`,
    key: `'constraint ' || COALESCE(${qualified('n.nspname', 'c.relname')}, ${qualified('tn.nspname', 'ty.typname')}) || '.' || quote_ident(con.conname)`,
    fields: fields(`'definition', pg_get_constraintdef(con.oid)`, `'valid', con.convalidated`, `'comment', d.description`),
    from: `pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace LEFT JOIN pg_class c ON c.oid = con.conrelid
      LEFT JOIN pg_type ty ON ty.oid = con.contypid LEFT JOIN pg_namespace tn ON tn.oid = ty.typnamespace ${comment('d', 'con.oid', 'pg_constraint')}
      WHERE ${created('con.oid')} AND ${USER_NAMESPACE} AND (con.conrelid <> 0 OR con.contypid <> 0)`,
  },
  {
    owner: `'r' || i.indexrelid`,
    listed: `i.indexrelid = ANY($2)`,
    key: `'index ' || ${qualified('n.nspname', 'ic.relname')}`,
    fields: fields(`'definition', pg_get_indexdef(i.indexrelid)`, `'comment', d.description`),
    from: `pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace ${comment('d', 'ic.oid', 'pg_class')}
      WHERE ${created('i.indexrelid')} AND ${USER_NAMESPACE} AND ${notFromExtension('i.indrelid', 'pg_class')}`,
  },
  {
    owner: `'p' || p.oid`,
    listed: `p.oid = ANY($2)`,
    key: `CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END
      || ${qualified('n.nspname', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')'`,
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
    owner: `'t' || t.oid`,
    listed: `t.oid = ANY($2)`,
    key: `CASE t.typtype WHEN 'e' THEN 'enum ' WHEN 'd' THEN 'domain ' WHEN 'c' THEN 'composite type ' WHEN 'r' THEN 'range type ' ELSE 'type ' END
      || ${qualified('n.nspname', 't.typname')}`,
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
    // Any change to an extension lists everything again (its members are left out): never listed alone.
    owner: `'x' || x.oid`,
    listed: 'false',
    key: `'extension ' || quote_ident(x.extname)`,
    fields: fields(`'version', x.extversion`, `'schema', n.nspname`),
    from: `pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'`,
  },
  {
    owner: `'g' || tg.oid`,
    listed: `tg.oid = ANY($2)`,
    key: `'trigger ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(tg.tgname)`,
    fields: fields(`'definition', pg_get_triggerdef(tg.oid)`, `'enabled', tg.tgenabled::text`, `'comment', d.description`),
    from: `pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace ${comment('d', 'tg.oid', 'pg_trigger')}
      WHERE ${created('tg.oid')} AND NOT tg.tgisinternal AND ${USER_NAMESPACE}`,
  },
  {
    owner: `'o' || pol.oid`,
    listed: `pol.oid = ANY($2)`,
    key: `'policy ' || ${qualified('n.nspname', 'c.relname')} || '.' || quote_ident(pol.polname)`,
    fields: fields(`'command', pol.polcmd::text`, `'permissive', pol.polpermissive`,
      `'roles', (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END, ',' ORDER BY 1) FROM unnest(pol.polroles) r)`,
      `'using', pg_get_expr(pol.polqual, pol.polrelid)`, `'check', pg_get_expr(pol.polwithcheck, pol.polrelid)`),
    from: `pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${created('pol.oid')} AND ${USER_NAMESPACE}`,
  },
  {
    owner: `'e' || e.oid`,
    listed: `e.oid = ANY($2)`,
    key: `'event trigger ' || quote_ident(e.evtname)`,
    fields: fields(`'event', e.evtevent`, `'function', e.evtfoid::regproc::text`, `'enabled', e.evtenabled::text`),
    from: 'pg_event_trigger e',
  },
];

const where = (p: Part) => (p.from.includes(' WHERE ') ? p.from : `${p.from} WHERE true`);
const objects = (parts: string[]) => `SELECT COALESCE(json_agg(json_build_array(part, owner, key, position, fields)), '[]') FROM (${parts.join('\nUNION ALL')}) s`;
const select = (p: Part, i: number) => `
SELECT ${i} AS part, ${p.owner} AS owner, ${p.key} AS key, ${p.position ?? 'NULL::bigint'} AS position, ${p.fields} AS fields
  FROM ${where(p)}`;

// `public` (2200) is the one schema created before user objects; two ranges of the index, not a scan.
const described = `(d.objoid >= 16384 OR (d.objoid = 2200 AND d.classoid = 'pg_namespace'::regclass))`;
const describedOwner = `CASE d.classoid WHEN 'pg_class'::regclass THEN 'r' WHEN 'pg_proc'::regclass THEN 'p' WHEN 'pg_type'::regclass THEN 't'
  WHEN 'pg_constraint'::regclass THEN 'k' WHEN 'pg_namespace'::regclass THEN 'n' WHEN 'pg_trigger'::regclass THEN 'g' ELSE 'z' END || d.objoid`;
/**
 * The catalogs a snapshot reads, and what a row of each tells: an entry `identity=owner`, or the
 * owner alone where it is the identity (`r16433`, the row of relation 16433 in pg_class). `present`:
 * the row's deletion alone can change an object, so the rows there are compared by identity with the
 * last snapshot's. Elsewhere a deletion always writes another row: a column's row goes with its
 * relation's (a dropped column is an update), a default's updates its column's.
 */
export const CATALOGS: { name: string; entry: string; where: string; present?: true; relation?: string }[] = [
  { name: 'pg_namespace', entry: `'n' || oid`, where: 'true', present: true },
  { name: 'pg_class', entry: `'r' || oid`, where: created('oid'), present: true },
  { name: 'pg_type', entry: `'t' || oid`, where: created('oid'), present: true },
  { name: 'pg_proc', entry: `'p' || oid`, where: created('oid'), present: true },
  { name: 'pg_constraint', entry: `'k' || oid`, where: created('oid'), present: true },
  { name: 'pg_trigger', entry: `'g' || oid`, where: created('oid'), present: true },
  { name: 'pg_policy', entry: `'o' || oid`, where: created('oid'), present: true },
  { name: 'pg_event_trigger', entry: `'e' || oid`, where: 'true', present: true },
  { name: 'pg_extension', entry: `'x' || oid`, where: 'true', present: true },
  // A column's row is inserted only with its relation's written (a new relation; relnatts, for a new column): when the
  // columns' rows were only inserted since, only those of relations written since are read.
  { name: 'pg_attribute', entry: `'r' || attrelid`, where: created('attrelid'), relation: 'attrelid' },
  { name: 'pg_attrdef', entry: `'r' || adrelid`, where: created('adrelid') },
  { name: 'pg_rewrite', entry: `'w' || oid || '=r' || ev_class`, where: created('ev_class'), present: true },
  { name: 'pg_sequence', entry: `'r' || seqrelid`, where: created('seqrelid') },
  { name: 'pg_inherits', entry: `'r' || inhrelid`, where: created('inhrelid') },
  { name: 'pg_partitioned_table', entry: `'r' || partrelid`, where: created('partrelid') },
  { name: 'pg_index', entry: `'r' || indexrelid`, where: created('indexrelid') },
  // An added enum label writes no other row.
  { name: 'pg_enum', entry: `'v' || oid || '=t' || enumtypid`, where: created('enumtypid'), present: true },
  { name: 'pg_description d', entry: `'d' || d.classoid || '.' || d.objoid || '.' || d.objsubid || '=' || ${describedOwner}`, where: described, present: true },
  // Which objects an extension owns decides which objects count.
  { name: 'pg_depend d', entry: `'y' || d.classid || '.' || d.objid || '=x'`, where: `d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'`, present: true },
];

/** The transaction ID a snapshot taken now counts from: the open transaction's, or the next one. */
const NEXT = `xid(COALESCE(pg_current_xact_id_if_assigned(), pg_snapshot_xmax(pg_current_snapshot())))::text`;

/** Per catalog of CATALOGS, the rows the open transaction has inserted, updated and deleted (counted when tried, even if rolled back since). */
const COUNTERS = `ARRAY[${CATALOGS.map((c) => `'${c.name.split(' ')[0]}'::regclass`).map((c) =>
  `pg_stat_get_xact_tuples_inserted(${c}), pg_stat_get_xact_tuples_updated(${c}), pg_stat_get_xact_tuples_deleted(${c})`).join(',\n    ')}]`;

/** The rows written since transaction `since` (their xmin is it or a later one), or restored since by a rollback (their xmax). */
const writtenSince = '(age(xmin) <= (SELECT age(since)) OR age(xmax) <= (SELECT age(since)))';
const touched = (i: number, of: [number, number]) => `(was IS NULL OR counted[${3 * i + of[0]}:${3 * i + of[1]}] IS DISTINCT FROM was[${3 * i + of[0]}:${3 * i + of[1]}])`;

/** Every object as [part, owner, key, position, fields] in one JSON array ($1: the history schema), as one query. */
export const FULL_SQL = `SELECT (${objects(parts(notFromExtension).map(select))}) AS objects`;

/** The parts (list_N) that list the objects of each kind of owner. */
export const PARTS_OF_OWNER: Record<string, number[]> = { n: [0], r: [1, 2, 4], k: [3], p: [5], t: [6], g: [8], o: [9], e: [10] };
/** A function of FUNCTIONS as another calls it (their schema is on their search path: see pg-snapshot.ts). */
const listCall = (part: number) => `sqlmig_snapshot_list_${part}`;

/**
 * The snapshot's queries, as functions of the history schema, each planned once for the session:
 * PL/pgSQL keeps their plans through the session resets between files (DEALLOCATE ALL would drop
 * prepared statements), and planning these queries costs more than running them.
 *
 * `now()`: the transaction ID a snapshot counts from (NEXT) and the counters (COUNTERS).
 * `changes(history, since, was)`: the same, `written` — the entries of the rows written since
 * transaction `since` (none if null) —, `present` — per catalog of CATALOGS with `present`, the
 * entries of all its rows (by the entries' first letter) — and `objects`, those of the owners of the
 * rows written, as `list_N` lists them (a list per part). `was` are the counters of a snapshot of this transaction:
 * catalogs with no row written since are not read, and `present` only of catalogs with rows deleted
 * since. When columns' rows were only inserted since, only those of relations written since are read
 * (a column's row is inserted only with its relation's: a new relation; relnatts, for a new column).
 * `list_N(history, oids)`: the objects of part N of the owners `oids`. `full(history)`: every object.
 * Objects are [part, owner, key, position, fields] in one JSON array.
 */
export const FUNCTIONS: Record<string, { args: string; body: string }> = {
  now: { args: '', body: `RETURN json_build_object('next', ${NEXT}, 'counters', ${COUNTERS});` },
  changes: {
    args: 'history text, since xid, was bigint[]',
    body: `DECLARE
  counted bigint[] := ${COUNTERS};
  written text[] := '{}';
  present jsonb := '{}';
  objects json[] := '{}';
  oids oid[];
BEGIN
  IF since IS NOT NULL THEN
${CATALOGS.map((c, i) => c.relation ? `    IF was IS NOT NULL AND counted[${3 * i + 1}] <> was[${3 * i + 1}] AND NOT ${touched(i, [2, 3])} THEN
      written := written || ARRAY(SELECT DISTINCT ${c.entry} FROM ${c.name} WHERE ${c.relation} = ANY(ARRAY(SELECT oid FROM pg_class
        WHERE ${created('oid')} AND ${writtenSince})) AND ${writtenSince});
    ELSIF ${touched(i, [1, 3])} THEN
      written := written || ARRAY(SELECT DISTINCT ${c.entry} FROM ${c.name} WHERE ${c.where} AND ${writtenSince});
    END IF;` : `    IF ${touched(i, [1, 3])} THEN written := written || ARRAY(SELECT DISTINCT ${c.entry} FROM ${c.name} WHERE ${c.where} AND ${writtenSince}); END IF;`).join('\n')}
  END IF;
${CATALOGS.map((c, i) => (!c.present ? '' : `  IF ${touched(i, [3, 3])} THEN present := present || jsonb_build_object('${c.entry.charAt(1)}', ARRAY(SELECT ${c.entry} FROM ${c.name} WHERE ${c.where})); END IF;`)).filter(Boolean).join('\n')}
${Object.entries(PARTS_OF_OWNER).map(([kind, partsOf]) => `  oids := ARRAY(SELECT DISTINCT substr(o, 2)::oid FROM unnest(written) e, regexp_replace(e, '^.*=', '') o WHERE left(o, 1) = '${kind}');
  IF cardinality(oids) > 0 THEN objects := objects${partsOf.map((part) => ` || ${listCall(part)}(history, oids)`).join('')}; END IF;`).join('\n')}
  RETURN json_build_object('next', ${NEXT}, 'counters', counted, 'written', written, 'present', present, 'objects', objects);
END;` },
  full: { args: 'history text', body: `RETURN (${objects(parts(notFromExtension).map(select)).replaceAll('$1', 'history')});` },
  ...Object.fromEntries(parts(notMemberOne).map((p, i) => [`list_${i}`, {
    args: 'history text, oids oid[]', body: `RETURN (${objects([`${select(p, i)} AND ${p.listed}`]).replaceAll('$1', 'history').replaceAll('$2', 'oids')});`,
  }])),
};

