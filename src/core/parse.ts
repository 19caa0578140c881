// Migration file text -> Migration: header directives, deploy / verify / revert sections, checksum.
import { migrationChecksum, significantCode } from './checksum.js';
import type { Checked, Diagnostic } from './diagnostic.js';
import {
  asDirectiveKey, colonlessDirective, isVariableName, markerOf, markerWithoutColon, markerWithText, misspeltDirective, parseKeyedComment,
  splitList, type DirectiveKey,
} from './directives.js';
import { POSTGRES, type Dialect } from './dialect.js';
import { foreignMarkerOf } from './foreign-formats.js';
import { isSignificant, type Token } from './lexer.js';
import { LINT_RULES } from './lint-rules.js';
import { delimiterProblems } from './mysql-lex.js';
import { closest } from './strings.js';
import type { Migration, Requirement, Section, VariableDeclaration } from './migration.js';
import { splitSections, tokensIn, type ErrorAt, type Marker } from './sections.js';
import { disablesStandardStrings, leadingWords, leavesSessionAlone } from './statements.js';
import { decodeUtf8, LineIndex, normalizeNewlines } from './text.js';
import { variableReferences } from './variables.js';

export interface ParseInput {
  /** Path shown in messages. */
  path: string;
  name: string;
  /** Raw file content; decoded here so that invalid UTF-8 is reported at its line. */
  bytes: Uint8Array;
}

/** Parses one migration file. With errors, `value` is undefined; warnings come with a value. */
export function parseMigration(input: ParseInput, dialect: Dialect = POSTGRES): Checked<Migration | undefined> {
  const { path, name } = input;
  const decoded = decodeUtf8(input.bytes);
  if (!decoded.ok) {
    return fail({
      severity: 'error', code: 'invalid-utf8', message: `invalid UTF-8 (byte ${decoded.byteOffset} of the file)`,
      hint: 'save the file as UTF-8', position: { path, line: decoded.line, column: decoded.column },
    });
  }
  const text = normalizeNewlines(decoded.text);
  const lines = new LineIndex(text);
  const at = (offset: number) => ({ path, ...lines.position(offset) });
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    return fail({
      severity: 'error', code: 'nul-byte', message: 'the file holds a NUL byte',
      hint: 'is this a binary file, or saved as UTF-16? Save it as UTF-8 text', position: at(nul),
    });
  }

  const diagnostics: Diagnostic[] = [];
  const error = (code: string, offset: number, message: string, hint?: string) =>
    diagnostics.push({ severity: 'error', code, message, hint, position: at(offset) });

  const { tokens, problems } = dialect.tokenize(text);
  for (const p of problems) error(p.code, p.offset, p.message, p.hint);

  const requires: Requirement[] = [];
  const allow: string[] = [];
  const vars: VariableDeclaration[] = [];
  /** Where `-- repeatable: yes` is written, when it is. */
  let repeatableAt: number | undefined;
  let transactional = true;
  let foreignKeys = true;
  /** Where `-- foreign-keys: off` is written, to point at it when `transaction: off` forbids it. */
  let foreignKeysOffAt: number | undefined;
  const markers: Marker[] = [];
  let inHeader = true;
  let deployStart = text.length;

  for (const token of tokens) {
    if (isSignificant(token)) {
      if (inHeader) { inHeader = false; deployStart = lines.lineStart(lines.position(token.start).line); }
      if (token.kind === 'backslash') {
        error('psql-meta-command', token.start, 'psql meta-commands are not SQL',
          'sqlmig sends the file to the server as SQL; replace \\i, \\set and the like with plain SQL');
      }
      continue;
    }
    if (token.kind !== 'line-comment' || !startsLine(text, token.start)) continue;
    const comment = text.slice(token.start, token.end);
    const line = lines.position(token.start).line;
    // A `#` comment (MySQL) opens no section and sets nothing: `# revert:` would run the revert SQL during deploy.
    if (comment.startsWith('#')) {
      const dashed = `-- ${comment.slice(1).trim()}`;
      if (markerOf(dashed) ?? asDirectiveKey(parseKeyedComment(dashed)?.key ?? '')) {
        error('hash-marker', token.start, `"${comment.trim()}" is a comment: markers and directives are read only from "--" lines`,
          `write "${dashed}"`);
      }
      continue;
    }
    // Another tool's up/down marker is a comment to sqlmig, which would run its down SQL during up.
    const foreign = foreignMarkerOf(comment);
    if (foreign) {
      error('foreign-marker', token.start, foreign.message, foreign.hint);
      continue;
    }
    const kind = markerOf(comment);
    if (kind) {
      if (inHeader) { inHeader = false; deployStart = lines.lineStart(line); }
      markers.push({ kind, lineStart: lines.lineStart(line), next: Math.min(token.end + 1, text.length), line });
      continue;
    }
    const noColon = markerWithoutColon(comment);
    if (noColon) {
      error('marker-without-colon', token.start, `"-- ${noColon}" without a colon is not a section marker`,
        `write "-- ${noColon}:" to open the ${noColon} section, or reword the comment`);
      continue;
    }
    // In the header `-- Revert: https://…` is prose; below it, a marker that would not open a section.
    const withText = inHeader ? undefined : markerWithText(comment);
    if (withText) {
      error('revert-marker-with-text', token.start, `a "-- ${withText}:" marker takes nothing after the colon`,
        `put the ${withText} SQL on the lines after a line holding only "-- ${withText}:"; `
        + `if this is a comment, reword it so that it does not start with "${withText}:"`);
      continue;
    }
    const keyed = parseKeyedComment(comment);
    if (!keyed) {
      const colonless = inHeader ? colonlessDirective(comment) : undefined;
      if (colonless) {
        const { key, value } = colonless;
        error('directive-without-colon', token.start + colonless.keyOffset, `missing colon after "${key}"`,
          `write "-- ${key}: ${value}"; without the colon the line is a comment and would be silently ignored `
          + '(if it is prose, reword it)');
      }
      continue;
    }
    const key = asDirectiveKey(keyed.key);
    if (!inHeader) {
      if (key) {
        error('directive-below-header', token.start, `"${keyed.key}:" directive below the header`,
          'directives are read only from the leading comment lines of the file; move it to the top');
      }
      continue;
    }
    if (!key) {
      const meant = misspeltDirective(keyed.key);
      if (meant) {
        error('misspelt-directive', token.start + keyed.keyOffset, `unknown directive "${keyed.key}:"`,
          `did you mean "${meant}:"? (a misspelt directive would be silently ignored)`);
      }
      continue;
    }
    const valueStart = token.start + keyed.valueOffset;
    if (DIALECT_ONLY.has(key) && !dialect.directives.includes(key)) {
      error('dialect-directive', token.start + keyed.keyOffset, `"${key}:" is not a directive of the ${dialect.name} dialect`,
        `it is for ${DIALECT_ONLY.get(key)} databases; remove it, or point --db (or --dialect) at such a database`);
      continue;
    }
    applyDirective(key, keyed.value, valueStart);
  }

  function applyDirective(key: DirectiveKey, value: string, valueStart: number) {
    if (key === 'foreign-keys') {
      const v = value.toLowerCase();
      if (v === 'off' || v === 'on') {
        foreignKeys = v === 'on';
        foreignKeysOffAt = foreignKeys ? undefined : valueStart;
      } else {
        error('invalid-directive', valueStart, `"foreign-keys:" takes "off" or "on", not "${value}"`,
          'write "-- foreign-keys: off" for a table rebuild: foreign keys are then checked once, before the migration commits');
      }
      return;
    }
    if (key === 'repeatable') {
      const v = value.toLowerCase();
      if (v === 'yes' || v === 'no') repeatableAt = v === 'yes' ? valueStart : undefined;
      else error('invalid-directive', valueStart, `"repeatable:" takes "yes" or "no", not "${value}"`,
        'write "-- repeatable: yes" for a file re-applied whenever it changes (views, functions, grants)');
      return;
    }
    if (key === 'transaction') {
      const v = value.toLowerCase();
      if (v === 'off' || v === 'on') transactional = v === 'on';
      else error('invalid-directive', valueStart, `"transaction:" takes "off" or "on", not "${value}"`,
        'write "-- transaction: off" to run this file statement by statement, outside a transaction');
      return;
    }
    for (const { item, offset } of splitList(value)) {
      if (key === 'allow') {
        if (!LINT_RULES.has(item)) {
          const near = closest(item, LINT_RULES.keys(), 3);
          error('unknown-rule', valueStart + offset, `unknown lint rule "${item}" in allow`,
            near ? `did you mean "${near}"?` : `the rules are: ${[...LINT_RULES.keys()].join(', ')}`);
        } else if (!allow.includes(item)) allow.push(item);
        continue;
      }
      if (key === 'vars') {
        const name = item.normalize('NFC');
        if (!isVariableName(name)) {
          error('invalid-variable-name', valueStart + offset, `"${item}" is not a variable name`,
            'a variable name holds letters, digits and _ and does not start with a digit, as in psql: -- vars: app_schema, reader_role');
        } else if (!vars.some((v) => v.name === name)) vars.push({ name, ...lines.position(valueStart + offset) });
        continue;
      }
      const normalized = item.normalize('NFC');
      if (!requires.some((r) => r.name === normalized)) {
        requires.push({ name: normalized, ...lines.position(valueStart + offset) });
      }
    }
  }

  if (!transactional && foreignKeysOffAt !== undefined) {
    error('foreign-keys-without-transaction', foreignKeysOffAt, '"foreign-keys: off" needs a transaction, and this file has "transaction: off"',
      'foreign keys are checked before the migration commits, so the file must run in one transaction: remove one of the two directives');
  }
  if (!transactional && repeatableAt !== undefined) {
    error('repeatable-without-transaction', repeatableAt, 'a repeatable file cannot have "transaction: off"',
      'it is re-applied in one transaction with its history row, so that a failing re-apply leaves the previous version in place: remove one of the two directives');
  }
  const sections = splitSections(text, markers, deployStart, error);
  checkStatements(dialect, text, tokens, sections, transactional, error);
  const deployTokens = tokensIn(tokens, sections.deploy);
  if (!deployTokens.some(isSignificant)) {
    diagnostics.push({
      severity: 'warning', code: 'empty-deploy', message: 'the deploy section holds no SQL',
      hint: 'fine for a placeholder; it will be recorded as applied without running anything',
      position: at(sections.deploy.offset),
    });
  }

  diagnostics.push(...unusedVariables(text, tokens, vars, path));

  if (diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics };
  const migration: Migration = {
    name, path, text, requires, transactional, foreignKeys, allow, repeatable: repeatableAt !== undefined, vars, ...sections,
    checksum: migrationChecksum(transactional, significantCode(text, deployTokens), foreignKeys, variablesUsed(text, deployTokens, vars)),
  };
  return { value: migration, diagnostics };
}

/** Directives that only some dialects know (see `Dialect.directives`), with the engines they are for. */
const DIALECT_ONLY: ReadonlyMap<DirectiveKey, string> = new Map([['foreign-keys', 'SQLite']]);

function variablesUsed(text: string, tokens: readonly Token[], vars: readonly VariableDeclaration[]): string[] {
  if (vars.length === 0) return [];
  const declared = new Set(vars.map((v) => v.name));
  return variableReferences(text, tokens, (name) => declared.has(name)).map((r) => r.name);
}

/** A declared variable that no section uses: a warning, as the declaration may be a leftover or the name misspelt. */
function unusedVariables(text: string, tokens: readonly Token[], vars: readonly VariableDeclaration[], path: string): Diagnostic[] {
  if (vars.length === 0) return [];
  const used = new Set(variableReferences(text, tokens, () => true).map((r) => r.name));
  return vars.filter((v) => !used.has(v.name)).map((v) => ({
    severity: 'warning', code: 'unused-variable', message: `variable "${v.name}" is declared but not used`,
    hint: `write :${v.name}, :'${v.name}' or :"${v.name}" where its value goes, or remove it from "-- vars:"`,
    position: { path, line: v.line, column: v.column },
  }));
}

function fail(diagnostic: Diagnostic): Checked<undefined> {
  return { value: undefined, diagnostics: [diagnostic] };
}

/** Whether only blanks stand between the start of the line and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Statements sqlmig cannot run as written. In a transactional file, BEGIN, COMMIT and the like: sqlmig
 * owns the transaction, and they would break atomicity. In any file, turning standard_conforming_strings
 * off: the rest of the file would be split into statements differently from how the server reads it.
 * And MySQL's DELIMITER lines that cut a statement short or outlive their section.
 */
function checkStatements(
  dialect: Dialect, text: string, tokens: readonly Token[], sections: Record<string, Section | undefined>, transactional: boolean,
  error: ErrorAt,
) {
  for (const section of Object.values(sections)) {
    if (!section) continue;
    const own = tokensIn(tokens, section);
    const statements = dialect.splitStatements(text, own);
    section.statements = statements.map((statement) => ({
      start: statement.start - section.offset, end: statement.end - section.offset,
      leavesSessionAlone: leavesSessionAlone(text, own, statement),
    }));
    const followed = Object.values(sections).some((other) => other && other.offset > section.offset);
    for (const p of delimiterProblems(text, own, statements, followed)) error(p.code, p.offset, p.message, p.hint);
    for (const statement of statements) {
      if (disablesStandardStrings(text, own, statement)) {
        error('standard-strings-off', statement.start, 'standard_conforming_strings turned off: sqlmig reads the '
          + "whole file with the setting on, so a string such as 'it\\'s' after this would be misread",
          "keep the setting on, and write E'it\\'s' (backslash escapes) or 'it''s' (a doubled quote)");
      }
      const keyword = transactional && dialect.transactionControl(leadingWords(text, own, statement, 3));
      if (keyword) {
        error('transaction-control', statement.start, `${keyword} in a transactional migration`,
          'sqlmig runs each file in its own transaction; remove it, or add "-- transaction: off" to the header '
          + 'to run the file statement by statement');
      }
    }
  }
}
