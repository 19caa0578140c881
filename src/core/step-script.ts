// One transactional step as one script — BEGIN and the run's settings, its statements, its history write,
// COMMIT — sent in one round trip, with where each statement came from so a server error maps back to its file line.
import type { Dialect } from './dialect.js';
import type { Section, SectionStatement } from './migration.js';
import { leavesSessionAlone } from './statements.js';
import { countCodePoints } from './text.js';

export type SectionKind = 'deploy' | 'verify' | 'revert';

export interface ScriptSection {
  kind: SectionKind;
  /** The section's SQL (the text the file's section holds, or the revert SQL stored at apply time). */
  sql: string;
  /** Where the SQL sits in its file; undefined when the file is gone. */
  section: Section | undefined;
}

/** A statement of a section, as placed in the script. */
export interface ScriptStatement {
  kind: SectionKind;
  section: Section | undefined;
  text: string;
  /** Offset of the statement in its section's SQL. */
  startInSection: number;
  /** 1-based among its section's statements. */
  number: number;
  /** Code points before it in the script: PostgreSQL reports positions in code points. */
  codePointStart: number;
}

export interface StepScriptParts {
  dialect: Dialect;
  /** Statements before the sections (BEGIN and settings); may be empty. */
  prefix: string;
  sections: readonly ScriptSection[];
  /** The history write: one statement. */
  record: string;
  /** End with COMMIT; not when the step runs inside the run's one transaction. */
  commit?: boolean;
  /** The session reset after COMMIT: left out when no statement can have changed session state. */
  reset?: string;
}

export class StepScript {
  readonly text: string;
  readonly statements: ScriptStatement[] = [];
  /** Statements of the script before the first section statement. */
  private readonly leading: number;
  /** How many statements have completed once COMMIT has; undefined when the script does not commit. */
  private readonly committedAt: number | undefined;
  /** No statement can have left state in the session (see `leavesSessionAlone`). */
  readonly sessionUntouched: boolean;

  constructor(parts: StepScriptParts) {
    const pieces: string[] = [];
    let codePoints = 0;
    const append = (text: string) => {
      pieces.push(text);
      codePoints += countCodePoints(text);
    };
    append(spaced(parts.prefix));
    this.leading = sectionStatements(parts.prefix, undefined, parts.dialect).length;
    let untouched = true;
    for (const { kind, sql, section } of parts.sections) {
      for (const [index, statement] of sectionStatements(sql, section, parts.dialect).entries()) {
        const { start, end } = statement;
        untouched &&= statement.leavesSessionAlone;
        const text = sql.slice(start, end);
        this.statements.push({ kind, section, text, startInSection: start, number: index + 1, codePointStart: codePoints });
        // A statement ends at its last token, so the separator cannot fall into a trailing comment.
        append(`${text};\n`);
      }
    }
    // Our own statements are counted, not lexed: the history write can carry a whole revert section.
    append(spaced(parts.record));
    if (parts.commit) {
      append('COMMIT;\n');
      this.committedAt = this.leading + this.statements.length + 2;
    }
    this.sessionUntouched = untouched;
    if (!untouched) append(spaced(parts.reset ?? ''));
    this.text = pieces.join('');
  }

  /** Whether every section statement completed, so what failed was the history write or COMMIT. */
  ranAllStatements(completed: number): boolean {
    return completed >= this.leading + this.statements.length;
  }

  /** Whether the step committed, given how many statements completed before the script stopped. */
  committed(completed: number): boolean {
    return this.committedAt !== undefined && completed >= this.committedAt;
  }

  /**
   * The section statement that failed: the one holding the error's position when the server gave one
   * (a syntax error stops the script before anything runs), else the one after those that completed.
   * Undefined when the failure lies outside the sections (the history write, COMMIT).
   */
  failedStatement(completed: number, position: number | undefined): ScriptStatement | undefined {
    if (position !== undefined) {
      const found = this.statements.find((s) => position > s.codePointStart && position <= s.codePointStart + countCodePoints(s.text) + 1);
      if (found) return found;
    }
    return this.statements[completed - this.leading];
  }
}

/** Our own SQL on its own line, closed by a semicolon so the next statement cannot run into it. */
function spaced(sql: string): string {
  const trimmed = sql.trim();
  if (trimmed === '') return '';
  return trimmed.endsWith(';') ? `${trimmed}\n` : `${trimmed};\n`;
}

/**
 * The statements of `sql`, as offsets into it: those the parser found when `sql` is the file's own
 * section, else (SQL stored in the history for a file now gone) split here.
 */
export function sectionStatements(sql: string, section: Section | undefined, dialect: Dialect): readonly SectionStatement[] {
  if (section?.statements && section.sql === sql) return section.statements;
  const { tokens } = dialect.tokenize(sql);
  return dialect.splitStatements(sql, tokens).map((statement) => ({
    start: statement.start, end: statement.end, leavesSessionAlone: leavesSessionAlone(sql, tokens, statement),
  }));
}

/** Whether some statement of these sections may have left state in the session, so a reset is due. */
export function mayChangeSession(sections: readonly Pick<ScriptSection, 'sql' | 'section'>[], dialect: Dialect): boolean {
  return sections.some(({ sql, section }) => sectionStatements(sql, section, dialect).some((s) => !s.leavesSessionAlone));
}
