// Which migrations `lint` and `verify` check: all of them, those named on the command line, or those changed since a git ref.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Project } from './project.js';
import { closest } from './core/strings.js';
import { UsageError } from './errors.js';
import { filesChangedSince, gitRoot } from './git.js';

export interface SelectionOptions {
  /** Migration names (`core/users`), or paths of migration files (`migrations/core/users.sql`). */
  names?: readonly string[];
  /** A git ref: the files added or changed since it. */
  since?: string;
  /** Where relative paths start, and where git is asked (default: the working directory). */
  cwd?: string;
}

/**
 * The names of the migrations chosen (both ways together add up); undefined when nothing narrows the
 * choice. Every name that is no migration is reported in one usage error, before anything runs.
 */
export function selectMigrations(project: Project, options: SelectionOptions): ReadonlySet<string> | undefined {
  const { names = [], since } = options;
  if (names.length === 0 && since === undefined) return undefined;
  const cwd = options.cwd ?? process.cwd();
  const chosen = new Set<string>();
  const byFile = filesOf(project);
  const unknown: string[] = [];
  for (const name of names) {
    const asName = name.replace(/\.sql$/i, '');
    if (project.byName.has(name)) chosen.add(name);
    else {
      const m = byFile.get(realPath(resolve(cwd, name)));
      if (m) chosen.add(m);
      else unknown.push(project.byName.has(asName) ? `"${name}" (the name is ${asName})` : describeUnknown(name, project));
    }
  }
  if (unknown.length > 0) {
    throw new UsageError(`not a migration of ${project.dir}: ${unknown.join(', ')}`, {
      hint: 'name a migration as sqlmig graph lists it (its path in the folder, without .sql), or give the path of its file',
    });
  }
  if (since !== undefined) {
    for (const file of filesChangedSince(since, cwd)) {
      const m = byFile.get(realPath(file));
      if (m) chosen.add(m);
    }
  }
  return chosen;
}

function describeUnknown(name: string, project: Project): string {
  const near = closest(name, project.byName.keys(), Math.max(2, Math.floor(name.length / 4)));
  return near ? `"${name}" (did you mean "${near}"?)` : `"${name}"`;
}

/** Each migration file's real path (symbolic links resolved, as git's paths are) -> its name. */
function filesOf(project: Project): Map<string, string> {
  return new Map(project.order.map((m) => [realPath(resolve(m.path)), m.name]));
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * How CI tools name a file: relative to the git work tree's root, or else to the working directory,
 * `/`-separated.
 */
export function ciPathResolver(cwd: string = process.cwd()): (path: string) => string {
  const root = gitRoot(cwd) ?? realPath(cwd);
  return (path) => {
    const absolute = realPath(isAbsolute(path) ? path : resolve(cwd, path));
    return relative(root, absolute).split('\\').join('/');
  };
}
