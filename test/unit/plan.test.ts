import { describe, expect, it } from 'vitest';
import { legacyChecksum } from '../../src/core/checksum.js';
import { historyUpdates } from '../../src/core/drift.js';
import { buildGraph, type MigrationGraph } from '../../src/core/graph.js';
import type { HistoryRow } from '../../src/core/history.js';
import { parseMigration } from '../../src/core/parse.js';
import { integrityProblems, migrationStatuses, planDown, planUp, type MigrationStatus } from '../../src/core/plan.js';

const enc = new TextEncoder();

function project(files: Record<string, string>): MigrationGraph {
  const migrations = Object.entries(files).map(([name, text]) => parseMigration({ path: `db/${name}.sql`, name, bytes: enc.encode(text) }).value!);
  return buildGraph(migrations).value!;
}

/**
 * A history row as a run wrote it: `as` is the file's text at apply time (default: the file as it
 * is now), `legacy` stores the checksum of earlier releases.
 */
interface RowSpec { name: string; as?: string; legacy?: boolean; status?: 'failed' }

function rows(files: Record<string, string>, specs: RowSpec[]): HistoryRow[] {
  return specs.map((spec, i) => {
    const text = spec.as ?? files[spec.name];
    const m = parseMigration({ path: 'x.sql', name: spec.name, bytes: enc.encode(text) }).value!;
    const requires = m.requires.map((r) => r.name);
    return {
      name: spec.name, seq: i + 1, requires, revertSql: null, transactional: m.transactional,
      checksum: spec.legacy ? legacyChecksum(requires, m.transactional, m.deploy.sql) : m.checksum,
      status: spec.status ?? 'applied', failedStatement: spec.status ? 2 : null, error: null,
      appliedAt: new Date(0), appliedBy: 'me', durationMs: 1,
    };
  });
}

const t = (n: string) => `create table ${n} (id int);\n-- revert:\ndrop table ${n};\n`;
const show = (s: MigrationStatus) => [
  `${s.name}:${s.state}`,
  s.drift?.deploy ? ' deploy' : '',
  ...(s.drift?.requires ?? []).map((r) => ` requires ${r.name}@${r.appliedSeq ?? 'none'}`),
  s.renamedTo ? ` ->${s.renamedTo}` : '', s.renamedFrom ? ` <-${s.renamedFrom}` : '',
].join('');

interface Case {
  files: Record<string, string>;
  history: RowSpec[];
  states: string[];
  /** Quiet updates a writing run makes: name -> the changed fields. */
  updates?: Record<string, string[]>;
  /** The codes of the errors that stop up. */
  problems?: string[];
}

const cases: Record<string, Case> = {
  'an applied file as it was': {
    files: { a: t('a') }, history: [{ name: 'a' }], states: ['a:applied'],
  },
  'comments and formatting edited': {
    files: { a: `-- the a table\ncreate  table a (\n  id int -- key\n);\n-- revert:\ndrop table a cascade;\n` },
    history: [{ name: 'a', as: t('a') }], states: ['a:applied'],
  },
  'the deploy section edited': {
    files: { a: t('a').replace('id int', 'id bigint') }, history: [{ name: 'a', as: t('a') }],
    states: ['a:drifted deploy'], problems: ['drift'],
  },
  'a legacy checksum of the same file': {
    files: { a: t('a') }, history: [{ name: 'a', legacy: true }], states: ['a:applied'], updates: { a: ['checksum'] },
  },
  'a legacy checksum, comments edited since': {
    files: { a: `-- note\n${t('a')}` }, history: [{ name: 'a', as: t('a'), legacy: true }], states: ['a:applied'], updates: { a: ['checksum'] },
  },
  'a legacy checksum, the deploy section edited since': {
    files: { a: t('a').replace('id int', 'id bigint') }, history: [{ name: 'a', as: t('a'), legacy: true }],
    states: ['a:drifted deploy'], problems: ['drift'],
  },
  'a requires added that the history satisfies': {
    files: { a: t('a'), b: `-- requires: a\n${t('b')}` }, history: [{ name: 'a' }, { name: 'b', as: t('b') }],
    states: ['a:applied', 'b:applied'], updates: { b: ['requires'] },
  },
  'a legacy checksum and a satisfied requires added': {
    files: { a: t('a'), b: `-- requires: a\n${t('b')}` }, history: [{ name: 'a', legacy: true }, { name: 'b', as: t('b'), legacy: true }],
    states: ['a:applied', 'b:applied'], updates: { a: ['checksum'], b: ['checksum', 'requires'] },
  },
  'a requires added, the required file applied after': {
    files: { a: t('a'), b: `-- requires: a\n${t('b')}` }, history: [{ name: 'b', as: t('b') }, { name: 'a' }],
    states: ['a:applied', 'b:drifted requires a@2'], problems: ['drift'],
  },
  'a requires added, the required file not applied': {
    files: { a: t('a'), b: `-- requires: a\n${t('b')}` }, history: [{ name: 'b', as: t('b') }],
    states: ['a:pending', 'b:drifted requires a@none'], problems: ['drift'],
  },
  'a requires removed': {
    files: { a: t('a'), b: t('b') }, history: [{ name: 'a' }, { name: 'b', as: `-- requires: a\n${t('b')}` }],
    states: ['a:applied', 'b:applied'], updates: { b: ['requires'] },
  },
  'the deploy section edited and a contradicted requires': {
    files: { a: t('a'), b: `-- requires: a\n${t('b2')}` }, history: [{ name: 'b', as: t('b') }],
    states: ['a:pending', 'b:drifted deploy requires a@none'], problems: ['drift'],
  },
  'a file renamed': {
    files: { new: t('a') }, history: [{ name: 'old', as: t('a') }],
    states: ['new:pending <-old', 'old:missing ->new'], problems: ['renamed-file'],
  },
  'a file renamed, its row with a legacy checksum': {
    files: { new: `-- requires: z\n${t('a')}`, z: t('z') }, history: [{ name: 'z' }, { name: 'old', as: `-- requires: z\n${t('a')}`, legacy: true }],
    states: ['z:applied', 'new:pending <-old', 'old:missing ->new'], problems: ['renamed-file'],
  },
  'a file gone, two pending files with its checksum (no guess)': {
    files: { n1: t('a'), n2: t('a') }, history: [{ name: 'old', as: t('a') }],
    states: ['n1:pending', 'n2:pending', 'old:missing'], problems: ['missing-file'],
  },
  'an empty placeholder gone, another pending (not a rename)': {
    files: { p2: '-- squashed\n' }, history: [{ name: 'p1', as: '-- withdrawn\n' }],
    states: ['p2:pending', 'p1:missing'], problems: ['missing-file'],
  },
  'a requires added naming a rename not yet resolved': {
    files: { new: t('a'), b: `-- requires: new\n${t('b')}` }, history: [{ name: 'old', as: t('a') }, { name: 'b', as: t('b') }],
    states: ['new:pending <-old', 'b:applied', 'old:missing ->new'], updates: { b: ['requires'] }, problems: ['renamed-file'],
  },
  'a failed file, edited': {
    files: { a: t('a2') }, history: [{ name: 'a', as: t('a'), status: 'failed' }], states: ['a:failed'], problems: ['failed-migration'],
  },
};

describe('drift: applied files against the history', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const p = project(c.files);
    const h = rows(c.files, c.history);
    const statuses = migrationStatuses(p, h);
    expect(statuses.map(show)).toEqual(c.states);
    const updates = Object.fromEntries(historyUpdates(p, h).map((u) => [u.name, Object.keys(u.change)]));
    expect(updates).toEqual(c.updates ?? {});
    expect(integrityProblems(statuses, false).map((d) => d.code)).toEqual(c.problems ?? []);
  });

  it('writes the file\'s checksum and requires in the quiet updates', () => {
    const files = { a: t('a'), b: `-- requires: a\n${t('b')}` };
    const p = project(files);
    expect(historyUpdates(p, rows(files, [{ name: 'a' }, { name: 'b', as: t('b'), legacy: true }]))).toEqual([
      { name: 'b', change: { checksum: p.byName.get('b')!.checksum, requires: ['a'] } },
    ]);
  });

  it('names the requirement the history contradicts, at its line', () => {
    const files = { a: t('a'), c: t('c'), b: `-- note\n-- requires: c, a\n${t('b')}` };
    const [problem] = integrityProblems(migrationStatuses(project(files), rows(files, [{ name: 'c' }, { name: 'b', as: t('b') }])), false);
    expect(problem).toMatchObject({
      severity: 'error', code: 'drift', position: { path: 'db/b.sql', line: 2, column: 17 },
      message: '"b" requires "a", which is not applied',
      hint: expect.stringContaining('sqlmig resolve b --accept'),
    });
    const after = integrityProblems(migrationStatuses(project(files), rows(files, [{ name: 'b', as: t('b') }, { name: 'a' }, { name: 'c' }])), false);
    expect(after[0].message).toBe('"b" requires "c" and "a", which the history applied after it');
    const both = integrityProblems(migrationStatuses(project(files), rows(files, [{ name: 'b', as: t('b') }, { name: 'c' }])), false);
    expect(both[0].message).toBe('"b" requires "c", which the history applied after it, and "a", which is not applied');
  });

  it('tells how to follow a rename', () => {
    const files = { new: t('a') };
    const [problem] = integrityProblems(migrationStatuses(project(files), rows(files, [{ name: 'old', as: t('a') }])), false);
    expect(problem).toMatchObject({
      code: 'renamed-file', position: { path: 'db/new.sql', line: 1, column: 1 },
      message: '"old" is applied but its file is gone, and the pending "new" holds the same deploy section: renamed?',
      hint: expect.stringContaining('sqlmig resolve old --renamed-to new'),
    });
  });

  it('turns drift, missing files and renames into warnings without hints with allowDrift; a failed file stays an error', () => {
    const files = { a: t('a2'), new: t('n'), f: t('f') };
    const h = rows(files, [{ name: 'a', as: t('a') }, { name: 'old', as: t('n') }, { name: 'gone', as: t('g') }, { name: 'f', status: 'failed' }]);
    const problems = integrityProblems(migrationStatuses(project(files), h), true);
    expect(problems.map((d) => `${d.severity}[${d.code}]${d.hint ? ' +hint' : ''}`)).toEqual([
      'warning[drift]', 'error[failed-migration] +hint', 'warning[renamed-file]', 'warning[missing-file]',
    ]);
  });
});

describe('repeatable files: changed means pending, never drifted', () => {
  const view = (body: string, requires = 't') => `-- repeatable: yes\n-- requires: ${requires}\ncreate or replace view v as ${body};\n-- revert:\ndrop view v;\n`;
  const files = { t: t('t'), v: view('select 2'), w: `-- requires: v\n${t('w')}` };
  const history = rows(files, [{ name: 't' }, { name: 'v', as: view('select 1') }, { name: 'w' }]);

  it('shows a changed repeatable file as pending (changed), with no integrity problem, and up applies it again alone', () => {
    const statuses = migrationStatuses(project(files), history);
    expect(statuses.map((s) => `${s.name}:${s.state}${s.changed ? ' changed' : ''}`)).toEqual(['t:applied', 'v:pending changed', 'w:applied']);
    expect(statuses[1]).toMatchObject({ seq: 2, appliedChecksum: history[1].checksum, fileChecksum: project(files).byName.get('v')!.checksum });
    expect(integrityProblems(statuses, false)).toEqual([]);
    // Its dependant w is not run again.
    expect(planUp(project(files), history).value.map((s) => `${s.name}${s.reapply ? ' again' : ''}`)).toEqual(['v again']);
    expect(historyUpdates(project(files), history)).toEqual([]);
  });

  it('leaves an unchanged repeatable file applied, whatever its comments say', () => {
    const same = { ...files, v: `-- a comment\n${view('select  1')}` };
    expect(migrationStatuses(project(same), history).map((s) => s.state)).toEqual(['applied', 'applied', 'applied']);
    expect(planUp(project(same), history).value).toEqual([]);
  });

  it('applies again a repeatable file that now requires what the history applied after it, after that', () => {
    const later = { t: t('t'), u: t('u'), v: view('select 1', 't, u') };
    const h = rows(later, [{ name: 't' }, { name: 'v', as: view('select 1') }, { name: 'u' }]);
    expect(migrationStatuses(project(later), h).map((s) => `${s.name}:${s.state}`)).toEqual(['t:applied', 'u:applied', 'v:pending']);
    expect(planUp(project(later), h).value.map((s) => s.name)).toEqual(['v']);
  });

  it('with up --to, applies again only a changed repeatable file that NAME requires', () => {
    const more = { ...files, x: t('x') };
    const h = rows(more, [{ name: 't' }, { name: 'v', as: view('select 1') }, { name: 'w' }]);
    expect(planUp(project(more), h, { to: 'x' }).value.map((s) => s.name)).toEqual(['x']);
    expect(planUp(project(more), h, { to: 'w' }).value.map((s) => s.name)).toEqual(['v']);
  });

  it('down reverts first an applied repeatable file that requires what it reverts, even one applied before it', () => {
    // v was applied before t and reads it now (its file requires t; not re-applied yet).
    const later = { t: t('t'), v: view('select 1') };
    const h = rows(later, [{ name: 'v', as: view('select 1', 'x').replace('-- requires: x\n', '') }, { name: 't' }]);
    expect(planDown(project(later), h, { count: 1 }).value.map((s) => `${s.action} ${s.name}`)).toEqual(['revert v', 'revert t']);
    expect(planDown(project(later), h, { to: 'v' }).value.map((s) => s.name)).toEqual(['t']);
  });

  it('refuses before anything runs when such a repeatable file has no revert section', () => {
    const noRevert = { t: t('t'), v: '-- repeatable: yes\n-- requires: t\ncreate or replace view v as select 1;\n' };
    const h = rows(noRevert, [{ name: 'v', as: '-- repeatable: yes\ncreate or replace view v as select 1;\n' }, { name: 't' }]);
    const plan = planDown(project(noRevert), h, { count: 1 });
    expect(plan.value).toEqual([]);
    expect(plan.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'irreversible: "v" is a repeatable file that requires "t", so down must revert it first, and it has no revert section',
    ]);
  });
});
