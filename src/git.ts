// What `lint --since` and `verify --since` ask of git: the work tree's root, and the files added or changed since a ref.
import { join } from 'node:path';
import { nodeChildProcess } from './builtins.js';
import { UsageError } from './errors.js';

function git(args: string[], cwd: string): string {
  return nodeChildProcess().execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** The root of the git work tree around `cwd` (as git prints it: symbolic links resolved); undefined outside one or without git. */
export function gitRoot(cwd: string): string | undefined {
  try {
    return git(['rev-parse', '--show-toplevel'], cwd).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Absolute paths of the files added or modified since `ref`: in the commits since the merge base of
 * `ref` and HEAD (what `git diff REF...` shows), in the working tree, and untracked files that are not
 * ignored. Deleted and renamed files are left out: a renamed migration is not a new one.
 */
export function filesChangedSince(ref: string, cwd: string): string[] {
  const root = gitRoot(cwd);
  if (!root) {
    throw new UsageError(`--since ${ref} needs a git work tree, and ${cwd} is not inside one (or git is not installed)`, {
      hint: 'run it in a clone of the repository, or name the migrations to check instead: NAME…',
    });
  }
  if (!commitExists(ref, root)) {
    throw new UsageError(`--since: unknown git ref "${ref}"`, {
      hint: 'name a branch, tag or commit; in CI, fetch the base branch first (git fetch origin main, or fetch-depth: 0 in actions/checkout)',
    });
  }
  let base: string;
  try {
    base = git(['merge-base', ref, 'HEAD'], root).trim();
  } catch {
    throw new UsageError(`--since ${ref}: it has no common ancestor with HEAD`, {
      hint: 'a shallow clone lacks the history: fetch it (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)',
    });
  }
  const list = (text: string) => text.split('\0').filter((p) => p !== '').map((p) => join(root, p));
  return [
    // Against the working tree: the commits since the merge base, and what is not committed yet.
    ...list(git(['diff', '--name-only', '-z', '-M', '--diff-filter=AM', base, '--'], root)),
    ...list(git(['ls-files', '-z', '--others', '--exclude-standard'], root)),
  ];
}

function commitExists(ref: string, root: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root);
    return true;
  } catch {
    return false;
  }
}
