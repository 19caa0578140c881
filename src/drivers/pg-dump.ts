// `sqlmig dump` on PostgreSQL and PGlite: the schema from the catalog as statements that load into an empty database, in a stable order.
import { orderObjects, type SchemaDump } from '../core/dump.js';
import { compareCodePoints } from '../core/strings.js';
import type { Row, Session } from './driver.js';
import { aclStatements } from './pg-dump-acl.js';
import * as Q from './pg-dump-sql.js';

type R = Row & Record<string, any>;

/** A statement with the key it sorts by inside its section. */
interface Keyed { key: string; sql: string }

/**
 * Sections in load order: schemas and extensions; types, sequences, functions, tables and views in
 * dependency order; then what refers to several tables or needs their rows' shape settled — sequence
 * ownership, foreign keys and unvalidated checks, indexes, triggers, rules, row security, statistics —
 * and comments and grants last. Function bodies are not checked while loading (as pg_dump does), so a
 * function may name a table created after it.
 */
export async function pgDump(session: Session, historySchema: string): Promise<SchemaDump> {
  // Every query sees one snapshot of the catalog, whatever commits meanwhile (dump takes no lock).
  await session.execute('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    return await dumpInSnapshot(session, historySchema);
  } finally {
    await session.execute('ROLLBACK');
  }
}

async function dumpInSnapshot(session: Session, historySchema: string): Promise<SchemaDump> {
  // One query at a time: a session runs one statement at a time anyway.
  const q = (sql: string) => session.query<R>(sql, [historySchema]);
  const schemas = await q(Q.SCHEMAS_SQL);
  const extensions = await session.query<R>(Q.EXTENSIONS_SQL);
  const types = await q(Q.TYPES_SQL);
  const sequences = await q(Q.SEQUENCES_SQL);
  const functions = await q(Q.FUNCTIONS_SQL);
  const relations = await q(Q.RELATIONS_SQL);
  const columns = await q(Q.COLUMNS_SQL);
  const constraints = await q(Q.CONSTRAINTS_SQL);
  const indexes = await q(Q.INDEXES_SQL);
  const triggers = await q(Q.TRIGGERS_SQL);
  const policies = await q(Q.POLICIES_SQL);
  const rules = await q(Q.RULES_SQL);
  const statistics = await q(Q.STATISTICS_SQL);
  const eventTriggers = await session.query<R>(Q.EVENT_TRIGGERS_SQL);
  const unsupported = await q(Q.UNSUPPORTED_SQL);
  const dependencies = await session.query<R>(Q.DEPENDENCIES_SQL);
  const columnsOf = groupBy(columns, (c) => String(c.relation));
  const constraintsOf = groupBy(constraints, (c) => String(c.relation !== 0 ? `c${c.relation}` : `t${c.domain}`));
  const comments: Keyed[] = [];
  const grants: Keyed[] = [];
  const comment = (rank: number, what: string, text: string | null) => {
    if (text !== null) comments.push({ key: `${rank} ${what}`, sql: `COMMENT ON ${what} IS ${text};` });
  };
  const grant = (rank: number, kind: string, name: string, acl: string[] | null, owner: string, column?: string) => {
    const sql = aclStatements(kind, name, acl, owner, column);
    if (sql.length > 0) grants.push({ key: `${rank} ${name} ${column ?? ''}`, sql: sql.join('\n') });
  };

  const head: string[] = ['SET check_function_bodies = false;'];
  for (const s of sorted(schemas, 'name')) {
    head.push(`CREATE SCHEMA ${s.name};`);
    comment(0, `SCHEMA ${s.name}`, s.comment);
    grant(0, 'SCHEMA', s.name, s.acl, s.owner);
  }
  for (const x of sorted(extensions, 'name')) head.push(`CREATE EXTENSION IF NOT EXISTS ${x.name} WITH SCHEMA ${x.schema} CASCADE;`);

  // The objects a dependency can order, by node id (as DEPENDENCIES_SQL names them): `t` types, `c` relations, `p` functions.
  const nodes = new Map<string, string>();
  const statementOf = new Map<string, string>();
  const later: Record<'owned' | 'constraints' | 'indexes' | 'triggers' | 'rules' | 'security' | 'statistics' | 'events', Keyed[]> = {
    owned: [], constraints: [], indexes: [], triggers: [], rules: [], security: [], statistics: [], events: [],
  };
  const add = (id: string, rank: number, name: string, sql: string) => {
    nodes.set(id, `${rank} ${name}`);
    statementOf.set(id, sql);
  };

  for (const t of types) {
    const own = constraintsOf.get(`t${t.oid}`) ?? [];
    add(`t${t.oid}`, t.kind === 'd' ? 2 : t.kind === 'c' ? 3 : 1, t.name, typeStatement(t, own));
    for (const c of own.filter((x) => x.kind === 'c' && !x.valid)) later.constraints.push({ key: `${t.name} ${c.name}`, sql: `ALTER DOMAIN ${t.name} ADD CONSTRAINT ${c.name} ${c.definition};` });
    const keyword = t.kind === 'd' ? 'DOMAIN' : 'TYPE';
    comment(1, `${keyword} ${t.name}`, t.comment);
    for (const c of own) comment(1, `CONSTRAINT ${c.name} ON DOMAIN ${t.name}`, c.comment);
    grant(1, keyword, t.name, t.acl, t.owner);
  }
  for (const s of sequences) {
    add(`c${s.oid}`, 4, s.name, `CREATE SEQUENCE ${s.name} AS ${s.type} START WITH ${s.start} INCREMENT BY ${s.increment} `
      + `MINVALUE ${s.min} MAXVALUE ${s.max} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ' NO CYCLE'};`);
    if (s.owned_by) later.owned.push({ key: s.name, sql: `ALTER SEQUENCE ${s.name} OWNED BY ${s.owned_by};` });
    comment(2, `SEQUENCE ${s.name}`, s.comment);
    grant(2, 'SEQUENCE', s.name, s.acl, s.owner);
  }
  for (const f of functions) {
    add(`p${f.oid}`, 5, f.name, `${String(f.definition).trimEnd()};`);
    comment(3, `${f.kind} ${f.name}`, f.comment);
    grant(3, f.kind, f.name, f.acl, f.owner);
  }
  for (const r of relations) {
    const own = constraintsOf.get(`c${r.oid}`) ?? [];
    const cols = columnsOf.get(String(r.oid)) ?? [];
    const view = r.kind === 'v' || r.kind === 'm';
    add(`c${r.oid}`, r.kind === 'v' ? 7 : r.kind === 'm' ? 8 : 6, r.name, view ? viewStatement(r) : tableStatement(r, cols, own));
    for (const c of own) {
      if (!c.local || c.inherited) continue;
      if (c.kind === 'f' || (c.kind === 'c' && !c.valid)) {
        later.constraints.push({ key: `${r.name} ${c.name}`, sql: `ALTER TABLE ${r.name} ADD CONSTRAINT ${c.name} ${c.definition};` });
      }
      comment(4, `CONSTRAINT ${c.name} ON ${r.name}`, c.comment);
    }
    const keyword = r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
    comment(4, `${keyword} ${r.name}`, r.comment);
    for (const c of cols) comment(4, `COLUMN ${r.name}.${c.name}`, c.comment);
    grant(4, 'TABLE', r.name, r.acl, r.owner);
    for (const c of cols) grant(4, 'TABLE', r.name, c.acl, r.owner, c.name);
    if (r.rls) later.security.push({ key: `${r.name} 1`, sql: `ALTER TABLE ${r.name} ENABLE ROW LEVEL SECURITY;` });
    if (r.force_rls) later.security.push({ key: `${r.name} 2`, sql: `ALTER TABLE ${r.name} FORCE ROW LEVEL SECURITY;` });
  }
  for (const i of indexes) {
    // A partitioned table's index reads `ON ONLY`, which would leave the partitions without theirs; without it, each gets one.
    later.indexes.push({ key: i.name, sql: `${String(i.definition).replace(/ ON ONLY /, ' ON ')};` });
    comment(5, `INDEX ${i.name}`, i.comment);
  }
  for (const t of triggers) {
    const state = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[t.enabled as string];
    later.triggers.push({ key: `${t.table} ${t.name}`, sql: `${t.definition};${state ? `\nALTER TABLE ${t.table} ${state} TRIGGER ${t.name};` : ''}` });
    comment(6, `TRIGGER ${t.name} ON ${t.table}`, t.comment);
  }
  for (const r of rules) later.rules.push({ key: `${r.table} ${r.name}`, sql: `${String(r.definition).trim().replace(/;$/, '')};` });
  for (const p of policies) {
    const command = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' }[p.command as string];
    const sql = `CREATE POLICY ${p.name} ON ${p.table} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${command} TO ${p.roles}`
      + `${p.using ? ` USING (${p.using})` : ''}${p.check ? ` WITH CHECK (${p.check})` : ''};`;
    later.security.push({ key: `${p.table} 3 ${p.name}`, sql });
    comment(7, `POLICY ${p.name} ON ${p.table}`, p.comment);
  }
  for (const s of statistics) later.statistics.push({ key: s.name, sql: `${s.definition};` });
  for (const e of eventTriggers) {
    const state = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[e.enabled as string];
    later.events.push({
      key: e.name,
      sql: `CREATE EVENT TRIGGER ${e.name} ON ${e.event}${e.tags ? ` WHEN TAG IN (${e.tags})` : ''} EXECUTE FUNCTION ${e.function}();`
        + `${state ? `\nALTER EVENT TRIGGER ${e.name} ${state};` : ''}`,
    });
  }

  const body = orderObjects(nodes, dependencies as { dependent: string; required: string }[]).map((id) => statementOf.get(id)!);
  const sections = [head, body, ...Object.values(later).map(inOrder), inOrder(comments), inOrder(grants)];
  return {
    sql: sections.filter((s) => s.length > 0).map((s) => s.join('\n\n')).join('\n\n'),
    skipped: unsupported.map((u) => String(u.object)),
  };
}

function typeStatement(t: R, constraints: R[]): string {
  switch (t.kind) {
    case 'e':
      return `CREATE TYPE ${t.name} AS ENUM (${(t.labels ?? []).join(', ')});`;
    case 'c':
      return `CREATE TYPE ${t.name} AS (\n    ${(t.attributes ?? []).join(',\n    ')}\n);`;
    case 'r': {
      const options = [`SUBTYPE = ${t.subtype}`, t.subtype_diff && `SUBTYPE_DIFF = ${t.subtype_diff}`, t.multirange && `MULTIRANGE_TYPE_NAME = ${t.multirange}`];
      return `CREATE TYPE ${t.name} AS RANGE (${options.filter(Boolean).join(', ')});`;
    }
    default: {
      const named = constraints.filter((c) => c.kind === 'n');
      const parts = [`CREATE DOMAIN ${t.name} AS ${t.base}`];
      if (t.collation) parts.push(`COLLATE ${t.collation}`);
      if (t.default !== null) parts.push(`DEFAULT ${t.default}`);
      if (named.length > 0) parts.push(...sorted(named, 'name').map((c) => `CONSTRAINT ${c.name} NOT NULL`));
      else if (t.not_null) parts.push('NOT NULL');
      for (const c of sorted(constraints.filter((x) => x.kind === 'c' && x.valid), 'name')) parts.push(`CONSTRAINT ${c.name} ${c.definition}`);
      return `${parts.join(' ')};`;
    }
  }
}

function tableStatement(r: R, columns: R[], constraints: R[]): string {
  const notNullName = new Map(constraints.filter((c) => c.kind === 'n' && c.local).map((c) => [c.columns?.[0], c.name]));
  const lines: string[] = [];
  if (!r.is_partition) {
    for (const c of columns.filter((x) => x.local)) lines.push(columnDefinition(c, notNullName.get(c.num)));
  }
  const inline = constraints.filter((c) => ['p', 'u', 'x', 'c'].includes(c.kind) && c.local && !c.inherited && (c.kind !== 'c' || c.valid));
  for (const c of sorted(inline, 'name')) lines.push(`CONSTRAINT ${c.name} ${c.definition}`);
  const unlogged = r.persistence === 'u' ? 'UNLOGGED ' : '';
  const body = lines.length > 0 ? ` (\n    ${lines.join(',\n    ')}\n)` : r.is_partition ? '' : ' ()';
  const parents = r.parents ?? [];
  const tail = [
    r.is_partition ? '' : parents.length > 0 ? ` INHERITS (${parents.join(', ')})` : '',
    r.partition_by ? ` PARTITION BY ${r.partition_by}` : '',
    r.options ? ` WITH (${r.options.join(', ')})` : '',
  ].join('');
  if (r.is_partition) return `CREATE ${unlogged}TABLE ${r.name} PARTITION OF ${parents[0]}${body} ${r.bound}${tail};`;
  return `CREATE ${unlogged}TABLE ${r.name}${body}${tail};`;
}

function columnDefinition(c: R, notNullName: string | undefined): string {
  const parts = [`${c.name} ${c.type}`];
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.default}) ${c.generated === 'v' ? 'VIRTUAL' : 'STORED'}`);
  else if (c.identity) parts.push(`GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${c.identity_options})`);
  else if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (c.not_null) parts.push(notNullName ? `CONSTRAINT ${notNullName} NOT NULL` : 'NOT NULL');
  return parts.join(' ');
}

function viewStatement(r: R): string {
  const options = r.options ? ` WITH (${r.options.join(', ')})` : '';
  const query = String(r.query).trim().replace(/;$/, '');
  return r.kind === 'm'
    ? `CREATE MATERIALIZED VIEW ${r.name}${options} AS\n${query}\n  WITH NO DATA;`
    : `CREATE VIEW ${r.name}${options} AS\n${query};`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function sorted<T extends R>(items: readonly T[], field: string): T[] {
  return [...items].sort((a, b) => compareCodePoints(String(a[field]), String(b[field])));
}

function inOrder(items: readonly Keyed[]): string[] {
  return [...items].sort((a, b) => compareCodePoints(a.key, b.key)).map((i) => i.sql);
}
