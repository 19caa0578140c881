// Reads the folder of another tool's migrations: every file below it, the text of those an importer reads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportFile } from '../core/import/compose.js';
import { compareCodePoints } from '../core/strings.js';
import { decodeUtf8 } from '../core/text.js';
import { InputError } from '../errors.js';

/** What importers read: SQL, sqitch's plan, Flyway's per-script config, diesel's metadata. Other files are only listed. */
const READ = /(\.sql|\.sql\.conf|(^|\/)sqitch\.plan|(^|\/)metadata\.toml)$/;

export function readImportSource(dir: string): ImportFile[] {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new InputError([{
      severity: 'error', code: 'missing-folder', message: `${dir} is not a folder`,
      hint: 'name the folder that holds the other tool\'s migrations: sqlmig import --from TOOL FOLDER',
    }]);
  }
  const problems: InputError['diagnostics'] = [];
  const files = listFiles(dir, '').sort(compareCodePoints).map((path): ImportFile => {
    if (!READ.test(path)) return { path };
    const decoded = decodeUtf8(readFileSync(join(dir, path)));
    if (decoded.ok) return { path, text: decoded.text };
    problems.push({
      severity: 'error', code: 'invalid-utf8', message: `invalid UTF-8 (byte ${decoded.byteOffset} of the file)`, hint: 'save the file as UTF-8',
      position: { path: `${displayDir(dir)}/${path}`, line: decoded.line, column: decoded.column },
    });
    return { path };
  });
  if (problems.length > 0) throw new InputError(problems);
  return files;
}

/** The folder as shown in messages: as given, `/`-separated, without a trailing slash. */
export function displayDir(dir: string): string {
  return dir.split('\\').join('/').replace(/\/+$/, '') || '.';
}

/** Relative paths of the files below `dir`; hidden files and folders (`.git`) are skipped. */
function listFiles(dir: string, prefix: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listFiles(dir, relative));
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
  }
  return files;
}
