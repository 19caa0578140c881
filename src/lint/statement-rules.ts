// Breaking-change rules for one parsed statement: deletions and updates, never accretion.
import type { PgNode } from './pg-parser.js';

export interface StatementFinding {
  rule: string;
  message: string;
}

/** Tables created earlier in the same file: changes to them cannot break a running application. */
export type NewTables = ReadonlySet<string>;

interface RangeVar { schemaname?: string; relname: string }

const nameOf = (r: RangeVar) => (r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname);
const isNew = (r: RangeVar | undefined, created: NewTables) => r !== undefined && created.has(r.relname);

/** Functions whose default forces PostgreSQL to rewrite the table (a stable or constant default does not). */
const VOLATILE_FUNCTIONS = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4',
  'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current',
]);
const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export function checkStatement(node: PgNode, created: NewTables): StatementFinding[] {
  const [type, body] = Object.entries(node)[0] ?? [];
  switch (type) {
    case 'DropStmt': return checkDrop(body);
    case 'RenameStmt': return checkRename(body, created);
    case 'AlterTableStmt': return body.objtype === 'OBJECT_TABLE' && !isNew(body.relation, created)
      ? (body.cmds ?? []).flatMap((c: PgNode) => checkAlterTableCmd(c.AlterTableCmd, body.relation)) : [];
    case 'IndexStmt': return !body.concurrent && !isNew(body.relation, created)
      ? [{ rule: 'create-index-not-concurrently', message: `CREATE INDEX${body.idxname ? ` ${body.idxname}` : ''} on existing table ${nameOf(body.relation)} without CONCURRENTLY` }]
      : [];
    case 'TruncateStmt': return [{ rule: 'truncate', message: `TRUNCATE ${(body.relations ?? []).map((r: PgNode) => nameOf(r.RangeVar)).join(', ')}` }];
    default: return [];
  }
}

function objectNames(body: PgNode): string[] {
  return (body.objects ?? []).map((o: PgNode) => (o.List?.items ?? []).map((i: PgNode) => i.String?.sval).join('.'));
}

function checkDrop(body: PgNode): StatementFinding[] {
  if (body.removeType === 'OBJECT_TABLE') {
    return objectNames(body).map((n) => ({ rule: 'drop-table', message: `drops table ${n}` }));
  }
  if (body.removeType === 'OBJECT_INDEX' && !body.concurrent) {
    return [{ rule: 'drop-index-not-concurrently', message: `DROP INDEX ${objectNames(body).join(', ')} without CONCURRENTLY` }];
  }
  return [];
}

function checkRename(body: PgNode, created: NewTables): StatementFinding[] {
  if (isNew(body.relation, created)) return [];
  if (body.renameType === 'OBJECT_TABLE') return [{ rule: 'rename-table', message: `renames table ${nameOf(body.relation)} to ${body.newname}` }];
  if (body.renameType === 'OBJECT_COLUMN') {
    return [{ rule: 'rename-column', message: `renames column ${nameOf(body.relation)}.${body.subname} to ${body.newname}` }];
  }
  return [];
}

function checkAlterTableCmd(cmd: PgNode, relation: RangeVar): StatementFinding[] {
  const table = nameOf(relation);
  switch (cmd.subtype) {
    case 'AT_DropColumn': return [{ rule: 'drop-column', message: `drops column ${table}.${cmd.name}` }];
    case 'AT_AlterColumnType': return [{ rule: 'alter-column-type', message: `changes the type of ${table}.${cmd.name}` }];
    case 'AT_SetNotNull': return [{ rule: 'set-not-null', message: `sets NOT NULL on existing column ${table}.${cmd.name}` }];
    case 'AT_AddColumn': return checkAddColumn(cmd.def?.ColumnDef, table);
    case 'AT_AddConstraint': return checkAddConstraint(cmd.def?.Constraint, table);
    default: return [];
  }
}

function checkAddColumn(def: PgNode | undefined, table: string): StatementFinding[] {
  if (!def) return [];
  const constraints: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint);
  const has = (t: string) => constraints.some((c) => c.contype === t);
  const column = `${table}.${def.colname}`;
  const findings: StatementFinding[] = [];
  const fillsItself = has('CONSTR_DEFAULT') || has('CONSTR_IDENTITY') || has('CONSTR_GENERATED');
  const typeName = (def.typeName?.names ?? []).map((n: PgNode) => n.String?.sval).at(-1);
  if (has('CONSTR_NOTNULL') && !fillsItself && !SERIAL_TYPES.has(typeName)) {
    findings.push({ rule: 'add-column-not-null-no-default', message: `adds NOT NULL column ${column} without a default` });
  }
  const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
  const volatile = SERIAL_TYPES.has(typeName) ? typeName : defaultExpr ? volatileCall(defaultExpr) : undefined;
  if (volatile) findings.push({ rule: 'add-column-volatile-default', message: `adds column ${column} with a volatile default (${volatile})` });
  return findings;
}

/** The first volatile function called anywhere in an expression tree. */
function volatileCall(expr: unknown): string | undefined {
  if (Array.isArray(expr)) {
    for (const e of expr) { const v = volatileCall(e); if (v) return v; }
    return undefined;
  }
  if (expr === null || typeof expr !== 'object') return undefined;
  const call = (expr as PgNode).FuncCall;
  if (call) {
    const name = (call.funcname ?? []).map((n: PgNode) => n.String?.sval).at(-1);
    if (VOLATILE_FUNCTIONS.has(name)) return `${name}()`;
  }
  for (const value of Object.values(expr)) { const v = volatileCall(value); if (v) return v; }
  return undefined;
}

function checkAddConstraint(c: PgNode | undefined, table: string): StatementFinding[] {
  if (!c) return [];
  const name = c.conname ? ` ${c.conname}` : '';
  if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation) {
    return [{ rule: 'add-foreign-key-validated', message: `adds foreign key${name} on ${table} without NOT VALID` }];
  }
  if (c.contype === 'CONSTR_CHECK' && !c.skip_validation) {
    return [{ rule: 'add-check-validated', message: `adds CHECK constraint${name} on ${table} without NOT VALID` }];
  }
  if ((c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') && !c.indexname) {
    const kind = c.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
    return [{ rule: 'add-unique-constraint', message: `adds ${kind} constraint${name} on ${table} without USING INDEX` }];
  }
  return [];
}

/** Tables a statement creates (for "created in the same file") and touches (for unordered siblings). */
export function tablesOf(node: PgNode): { created: string[]; touched: string[] } {
  const [type, body] = Object.entries(node)[0] ?? [];
  const rel = (r: RangeVar | undefined) => (r ? [r.relname] : []);
  switch (type) {
    case 'CreateStmt': return { created: rel(body.relation), touched: rel(body.relation) };
    case 'CreateTableAsStmt': return { created: rel(body.into?.rel), touched: rel(body.into?.rel) };
    case 'AlterTableStmt':
    case 'IndexStmt':
    case 'RenameStmt':
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'CreateTrigStmt':
      return { created: [], touched: rel(body.relation) };
    case 'TruncateStmt': return { created: [], touched: (body.relations ?? []).map((r: PgNode) => r.RangeVar.relname) };
    case 'DropStmt': return { created: [], touched: body.removeType === 'OBJECT_TABLE' ? objectNames(body).map((n) => n.split('.').at(-1)!) : [] };
    default: return { created: [], touched: [] };
  }
}
