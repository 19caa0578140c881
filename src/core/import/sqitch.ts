// sqitch: `sqitch.plan` (changes in order, `[dependencies]`), scripts in deploy/, revert/ and verify/; history `sqitch.changes`.
import type { Diagnostic } from '../diagnostic.js';
import type { Dialect } from '../dialect.js';
import { composeMigration, linesOf, note, safeName, type Conversion, type ImportFile, type ImportTool, type ImportedMigration } from './compose.js';
import { unwrapScripts } from './transactions.js';

const PLAN = 'sqitch.plan';
/** `name [dep …] 2024-01-31T12:00:00Z Planner Name <planner@example.com> # note`; tags start with `@`. */
const CHANGE = /^([^\s@#[\]:]+)(?:\s+\[([^\]]*)\])?\s+(\d{4}-\S+)\s+(.*?)\s*<[^>]*>(?:\s*#.*)?$/;
const TAG = /^@(\S+)\s/;

interface Change {
  name: string;
  deps: string[];
  line: number;
  /** How many times the name appeared in the plan before, plus one (a reworked change appears again). */
  occurrence: number;
  /** Tags between this occurrence and the next occurrence of the name: where a reworked change's old scripts live. */
  tagsAfter: string[];
}

export function parsePlan(text: string): { project?: string; changes: Change[]; notes: Diagnostic[] } {
  const notes: Diagnostic[] = [];
  const changes: Change[] = [];
  const counts = new Map<string, number>();
  let project: string | undefined;
  for (const { text: raw, line } of linesOf(PLAN, text).lines) {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    if (entry.startsWith('%')) {
      const pragma = /^%\s*project\s*=\s*(\S+)/.exec(entry);
      if (pragma) project = pragma[1];
      continue;
    }
    const tag = TAG.exec(entry);
    if (tag) {
      for (const c of changes) if (!changes.some((later) => later.name === c.name && later.line > c.line)) c.tagsAfter.push(tag[1]);
      continue;
    }
    const m = CHANGE.exec(entry);
    if (!m) {
      notes.push(note('error', 'import-plan-line', PLAN, line, 'a plan line sqlmig cannot read',
        'the form is "name [dependencies] 2024-01-31T12:00:00Z Planner Name <planner@example.com> # note"'));
      continue;
    }
    const occurrence = (counts.get(m[1]) ?? 0) + 1;
    counts.set(m[1], occurrence);
    changes.push({ name: m[1], deps: (m[2] ?? '').split(/\s+/).filter((d) => d !== ''), line, occurrence, tagsAfter: [] });
  }
  return { project, changes, notes };
}

function convert(files: readonly ImportFile[], dialect: Dialect): Conversion {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const plan = byPath.get(PLAN);
  if (!plan) {
    return { migrations: [], skipped: [], notes: [note('error', 'import-no-plan', PLAN, 1, 'no sqitch.plan in the folder', 'point SOURCE at the folder that holds sqitch.plan')] };
  }
  const { project, changes, notes } = parsePlan(plan.text ?? '');
  const migrations: ImportedMigration[] = [];
  const nameOf = new Map<Change, string>();
  for (const change of changes) {
    // A reworked change's earlier scripts are kept as deploy/name@TAG.sql, TAG a tag after that occurrence.
    const later = changes.some((c) => c.name === change.name && c.line > change.line);
    const tag = later ? change.tagsAfter.find((t) => byPath.has(`deploy/${change.name}@${t}.sql`)) : undefined;
    const script = (dir: string) => byPath.get(`${dir}/${change.name}${tag ? `@${tag}` : ''}.sql`);
    const deploy = script('deploy');
    if (!deploy || (later && !tag)) {
      notes.push(note('error', 'import-no-deploy', PLAN, change.line, `no deploy script for "${change.name}"${later ? ' (a reworked change: deploy/NAME@TAG.sql)' : ` (deploy/${change.name}.sql)`}`,
        'import from the sqitch project folder, the one holding sqitch.plan and the deploy/ folder'));
      continue;
    }
    const revert = script('revert');
    const verify = script('verify');
    if (!revert) {
      notes.push(note('warning', 'import-no-down', deploy.path, 1, `no revert script for "${change.name}": the imported migration has no revert section, so sqlmig down refuses to cross it`,
        'write the SQL that undoes it after "-- revert:" in the imported file (an empty revert section means "nothing to undo")'));
    }
    const name = safeName(change.occurrence === 1 ? change.name : `${change.name}.${change.occurrence}`);
    nameOf.set(change, name);
    const requires = migrations.length > 0 ? [migrations[migrations.length - 1].name] : [];
    for (const dep of change.deps) {
      const required = dependency(dep, change, changes, nameOf, notes);
      if (required && !requires.includes(required)) requires.push(required);
    }
    // sqitch runs a script as written: its templates wrap deploy and revert in BEGIN … COMMIT, verify in BEGIN … ROLLBACK.
    const unwrapped = unwrapScripts({
      deploy: linesOf(deploy.path, deploy.text ?? ''), verify: verify && linesOf(verify.path, verify.text ?? ''),
      revert: revert && linesOf(revert.path, revert.text ?? ''),
    }, dialect);
    notes.push(...unwrapped.notes);
    migrations.push(composeMigration({
      tool: 'sqitch', name, key: `${change.name}#${change.occurrence}`, requires, transactional: unwrapped.transactional,
      from: [deploy, revert, verify].filter((f) => f !== undefined).map((f) => f.path), ...unwrapped.scripts,
    }, dialect));
  }
  return { migrations, skipped: [], notes, project };
}

/** The sqlmig name a `[dependency]` means: the latest earlier occurrence of the change (`x@tag`: the one that tag follows). */
function dependency(dep: string, change: Change, changes: readonly Change[], nameOf: ReadonlyMap<Change, string>, notes: Diagnostic[]): string | undefined {
  if (dep.startsWith('!')) {
    notes.push(note('warning', 'import-conflict', PLAN, change.line, `"${change.name}" conflicts with "${dep.slice(1)}": sqlmig has no conflicts, so this is dropped`));
    return undefined;
  }
  if (dep.includes(':')) {
    notes.push(note('warning', 'import-other-project', PLAN, change.line, `"${change.name}" requires "${dep}" of another sqitch project: sqlmig cannot say that, so it is dropped`,
      'make sure the other project is deployed first'));
    return undefined;
  }
  const [target, tag] = dep.split('@');
  const earlier = changes.filter((c) => c.name === target && c.line < change.line && nameOf.has(c));
  const chosen = tag ? earlier.find((c) => c.tagsAfter.includes(tag)) : earlier[earlier.length - 1];
  if (!chosen) {
    notes.push(note('error', 'import-unknown-dependency', PLAN, change.line, `"${change.name}" requires "${dep}", which the plan does not deploy before it`));
    return undefined;
  }
  return nameOf.get(chosen);
}

export const SQITCH: ImportTool = {
  name: 'sqitch',
  convert,
  history: {
    table: 'sqitch.changes',
    columns: ['change', 'project', 'committed_at'],
    orderBy: 'committed_at',
    // A row per deployed change; a reworked change deployed twice has two rows, matched to its occurrences in order.
    applied(rows, conversion) {
      const counts = new Map<string, number>();
      const value: string[] = [];
      for (const row of rows) {
        // One registry serves every sqitch project of the database: only this plan's project counts.
        if (conversion.project !== undefined && String(row.project) !== conversion.project) continue;
        const change = String(row.change);
        const n = (counts.get(change) ?? 0) + 1;
        counts.set(change, n);
        value.push(`${change}#${n}`);
      }
      return { value, diagnostics: [] };
    },
  },
};
