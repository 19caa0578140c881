// verify --isolation: each chosen file deployed on a database holding only what it transitively requires, sharing the work of common ancestors.
import { requirementsOf, type MigrationGraph } from '../core/graph.js';
import type { Migration } from '../core/migration.js';
import { compareCodePoints } from '../core/strings.js';
import type { Scratch } from '../drivers/driver.js';
import { creatorOf } from './missing-object.js';
import { deployStep, failureOf, Savepoints, type Runner, type RunnerFor, type VerifyFailure } from './steps.js';
import type { VerifyFileResult, VerifyOptions } from './verify.js';

/**
 * A scratch database: files applied for good (`committed`), and on top of them, inside one open
 * transaction, transactional files each followed by a savepoint (`stack`). Returning to the state
 * after any prefix of the stack is one ROLLBACK TO SAVEPOINT.
 */
interface Database {
  scratch: Scratch;
  runner: Runner;
  committed: Set<string>;
  tx: Savepoints;
  /** The savepoint of the committed state, while the transaction is open. */
  baseDepth: number;
  stack: { name: string; depth: number }[];
}

class RequirementFailure {
  constructor(readonly name: string, readonly failure: VerifyFailure) {}
}

/**
 * Files are visited so that neighbours share ancestors: each needs a base — what it requires that
 * must be committed (the `transaction: off` files it requires and their own requirements; for a
 * `transaction: off` file, all it requires) — and the rest goes on the savepoint stack, which is
 * rolled back only as far as the next file needs. A database is built up to a base once, and moved
 * forward to the next base when one includes it; engines whose DDL cannot be rolled back get a fresh
 * database per file.
 */
export async function isolation(
  project: MigrationGraph, chosen: Migration[], create: () => Promise<Scratch>, runnerFor: RunnerFor, onResult: VerifyOptions['onResult'],
): Promise<VerifyFileResult[]> {
  const results = new Map<string, VerifyFileResult>();
  let emitted = 0;
  const record = (r: VerifyFileResult) => {
    results.set(r.name, r);
    // Reported in apply order, whatever order the files were visited in.
    for (; emitted < chosen.length && results.has(chosen[emitted].name); emitted++) {
      onResult?.(results.get(chosen[emitted].name)!, emitted, chosen.length);
    }
  };
  const visit = new Visit(project, create, runnerFor);
  try {
    if (chosen.length === 0) return [];
    const first = await visit.newDatabase();
    if (!first.scratch.driver.capabilities.transactionalDdl) {
      await visit.drop(first);
      for (const m of chosen) record(await visit.onFreshDatabase(m));
    } else {
      for (const group of visit.groups(chosen)) {
        for (const m of group.targets) record(await visit.check(m, group.base));
      }
    }
  } finally {
    await visit.close();
  }
  return chosen.map((m) => results.get(m.name)!);
}

class Visit {
  private readonly databases: Database[] = [];
  /** Files whose deploy failed, as a target or as a requirement: what requires them is not tried again. */
  private readonly failed = new Map<string, VerifyFailure>();
  private readonly requirements = new Map<string, string[]>();

  constructor(private readonly project: MigrationGraph, private readonly create: () => Promise<Scratch>, private readonly runnerFor: RunnerFor) {}

  requirementsOf(name: string): string[] {
    let names = this.requirements.get(name);
    if (!names) this.requirements.set(name, (names = requirementsOf(this.project, name)));
    return names;
  }

  /** The chosen files grouped by base: smaller bases first, each group in depth-first order, `transaction: off` files last. */
  groups(chosen: Migration[]): { base: Set<string>; targets: Migration[] }[] {
    const rank = depthFirstRanks(this.project);
    const byKey = new Map<string, { base: Set<string>; targets: Migration[] }>();
    for (const m of chosen) {
      const base = this.baseOf(m);
      const key = this.project.order.filter((x) => base.has(x.name)).map((x) => x.name).join('\n');
      const group = byKey.get(key) ?? { base, targets: [] };
      group.targets.push(m);
      byKey.set(key, group);
    }
    const groups = [...byKey.values()].sort((a, b) => a.base.size - b.base.size);
    for (const g of groups) g.targets.sort((a, b) => Number(!a.transactional) - Number(!b.transactional) || rank.get(a.name)! - rank.get(b.name)!);
    return groups;
  }

  private baseOf(m: Migration): Set<string> {
    if (!m.transactional) return new Set(this.requirementsOf(m.name));
    const base = new Set<string>();
    for (const name of this.requirementsOf(m.name)) {
      if (this.project.byName.get(name)!.transactional) continue;
      base.add(name);
      for (const r of this.requirementsOf(name)) base.add(r);
    }
    return base;
  }

  async check(m: Migration, base: Set<string>): Promise<VerifyFileResult> {
    let db: Database;
    try {
      db = await this.databaseWith(base);
    } catch (error) {
      if (error instanceof RequirementFailure) return requirementFailed(m, error.name, error.failure);
      throw error;
    }
    return m.transactional ? this.checkOnStack(db, m) : this.checkCommitted(db, m);
  }

  /** A transactional file: its other requirements on the savepoint stack, then its deploy, kept for the files that require it. */
  private async checkOnStack(db: Database, m: Migration): Promise<VerifyFileResult> {
    const want = this.requirementsOf(m.name).filter((n) => !db.committed.has(n));
    const broken = want.find((n) => this.failed.has(n));
    if (broken) return requirementFailed(m, broken, this.failed.get(broken)!);
    if (!db.tx.isOpen) {
      await db.tx.begin();
      db.baseDepth = await db.tx.mark();
      db.stack = [];
    }
    const wanted = new Set(want);
    let keep = 0;
    while (keep < db.stack.length && wanted.has(db.stack[keep].name)) keep++;
    if (keep < db.stack.length) await this.undoTo(db, keep);
    const have = new Set(db.stack.map((e) => e.name));
    for (const name of [...want.filter((n) => !have.has(n)), m.name]) {
      const f = this.project.byName.get(name)!;
      try {
        await db.runner.run(deployStep(f), true);
        await db.runner.resetAfter(deployStep(f));
      } catch (error) {
        const failure = failureOf(error);
        this.failed.set(name, failure);
        await this.undoTo(db, db.stack.length);
        return f === m ? this.deployFailed(db, m, want, failure) : requirementFailed(m, name, failure);
      }
      db.stack.push({ name, depth: await db.tx.mark() });
    }
    return { name: m.name, path: m.path, status: 'ok' };
  }

  /** A `transaction: off` file on a database holding exactly its requirements, committed; afterwards the database holds it too. */
  private async checkCommitted(db: Database, m: Migration): Promise<VerifyFileResult> {
    await this.closeTransaction(db);
    try {
      await db.runner.run(deployStep(m), false);
    } catch (error) {
      const failure = failureOf(error);
      this.failed.set(m.name, failure);
      // Statements before the failing one stay: this database is of no further use.
      await this.drop(db);
      return this.deployFailed(db, m, this.requirementsOf(m.name), failure);
    }
    db.committed.add(m.name);
    return { name: m.name, path: m.path, status: 'ok' };
  }

  /** A failed deploy whose error names a missing object is a missing requires; the report names the file that creates it. */
  private deployFailed({ scratch }: Database, m: Migration, present: string[], failure: VerifyFailure): VerifyFileResult {
    const base = { name: m.name, path: m.path };
    const object = scratch.driver.missingObjectOf({ message: failure.message, sqlstate: failure.sqlstate });
    if (!object) return { ...base, status: 'deploy-failed', error: failure };
    const createdBy = creatorOf(this.project, object, new Set([...present, m.name]));
    return { ...base, status: 'missing-requires', error: failure, missing: { object, createdBy } };
  }

  /**
   * A database whose committed files are exactly `base`: one already there, else the one holding the
   * most of it moved forward (or a new one), each missing file applied for good in apply order.
   */
  private async databaseWith(base: Set<string>): Promise<Database> {
    const within = this.databases.filter((d) => [...d.committed].every((n) => base.has(n)));
    let db = within.find((d) => d.committed.size === base.size);
    if (db) return db;
    db = within.sort((a, b) => b.committed.size - a.committed.size)[0] ?? await this.newDatabase();
    await this.closeTransaction(db);
    for (const f of this.project.order.filter((x) => base.has(x.name) && !db!.committed.has(x.name))) {
      const known = this.failed.get(f.name);
      if (known) throw new RequirementFailure(f.name, known);
      try {
        await db.runner.run(deployStep(f), false);
      } catch (error) {
        const failure = failureOf(error);
        this.failed.set(f.name, failure);
        if (!f.transactional) await this.drop(db);
        throw new RequirementFailure(f.name, failure);
      }
      db.committed.add(f.name);
    }
    return db;
  }

  async newDatabase(): Promise<Database> {
    const scratch = await this.create();
    const db: Database = { scratch, runner: await this.runnerFor(scratch), committed: new Set(), tx: new Savepoints(scratch), baseDepth: 0, stack: [] };
    this.databases.push(db);
    return db;
  }

  /** Where DDL cannot be rolled back: a fresh database per file, its requirements deployed, then the file. */
  async onFreshDatabase(m: Migration): Promise<VerifyFileResult> {
    const db = await this.newDatabase();
    try {
      for (const name of [...this.requirementsOf(m.name), m.name]) {
        const f = this.project.byName.get(name)!;
        try {
          await db.runner.run(deployStep(f), false);
        } catch (error) {
          const failure = failureOf(error);
          return f === m ? this.deployFailed(db, m, this.requirementsOf(m.name), failure) : requirementFailed(m, name, failure);
        }
      }
      return { name: m.name, path: m.path, status: 'ok' };
    } finally {
      await this.drop(db);
    }
  }

  /** Back to the state after the first `keep` files of the stack. */
  private async undoTo(db: Database, keep: number): Promise<void> {
    await db.tx.undo(keep === 0 ? db.baseDepth : db.stack[keep - 1].depth);
    db.stack.length = keep;
  }

  private async closeTransaction(db: Database): Promise<void> {
    await db.tx.undoAll();
    db.stack = [];
  }

  async drop(db: Database): Promise<void> {
    this.databases.splice(this.databases.indexOf(db), 1);
    await db.scratch.dispose();
  }

  async close(): Promise<void> {
    for (const db of [...this.databases]) {
      await db.tx.undoAll().catch(() => undefined);
      await this.drop(db);
    }
  }
}

function requirementFailed(m: Migration, name: string, failure: VerifyFailure): VerifyFileResult {
  return { name: m.name, path: m.path, status: 'requirement-failed', error: { ...failure, message: `requirement ${name} failed: ${failure.message}` } };
}

/**
 * Ranks in a depth-first topological order: a file comes as soon as what it requires came, and the
 * files a file unblocks come right after it — so consecutive files share the most ancestors.
 */
function depthFirstRanks(project: MigrationGraph): Map<string, number> {
  const indegree = new Map<string, number>(project.order.map((m) => [m.name, 0]));
  for (const dependents of project.requiredBy.values()) for (const d of dependents) indegree.set(d, indegree.get(d)! + 1);
  const descending = (names: Iterable<string>) => [...names].sort((a, b) => compareCodePoints(b, a));
  const stack = descending([...indegree].filter(([, d]) => d === 0).map(([n]) => n));
  const rank = new Map<string, number>();
  while (stack.length > 0) {
    const name = stack.pop()!;
    rank.set(name, rank.size);
    for (const d of descending(project.requiredBy.get(name) ?? [])) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) stack.push(d);
    }
  }
  return rank;
}
