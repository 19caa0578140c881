// lint's findings for CI: GitHub workflow-command annotations and a SARIF 2.1.0 log for code-scanning tools.
import type { Diagnostic, SourcePosition } from '../diagnostic.js';
import { LINT_RULES } from '../lint-rules.js';

export const LINT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/** What the renderers need of a lint report (src/lint/lint.ts). */
export interface LintFindings {
  findings: readonly { rule: string; message: string; fix: string; position: SourcePosition }[];
  allowed: readonly { rule: string; message: string; fix: string; position: SourcePosition }[];
  syntaxErrors: readonly Diagnostic[];
}

/** Where a file is, for CI: its path relative to the repository root (or the working directory), `/`-separated. */
export type PathOf = (path: string) => string;

/** A workflow command's message: `%`, CR and LF escaped, as GitHub's toolkit does (`escapeData`). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,`, which separate properties (`escapeProperty`). */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(level: 'error' | 'warning' | 'notice', position: SourcePosition, pathOf: PathOf, title: string, message: string): string {
  const properties = [`file=${pathOf(position.path)}`, `line=${position.line}`, `col=${position.column}`, `title=${title}`].map((p) => {
    const at = p.indexOf('=');
    return `${p.slice(0, at)}=${escapeGithubProperty(p.slice(at + 1))}`;
  });
  return `::${level} ${properties.join(',')}::${escapeGithubData(message)}`;
}

/**
 * One line per finding, `::warning file=…,line=…,col=…,title=sqlmig <rule>::<message, why and fix>`;
 * a section that does not parse is an `::error`; with `showAllowed`, allowed findings are `::notice`.
 */
export function renderGithubAnnotations(report: LintFindings, pathOf: PathOf, showAllowed = false): string[] {
  const lines = report.syntaxErrors.filter((d) => d.position).map((d) =>
    annotation('error', d.position!, pathOf, `sqlmig ${d.code}`, d.hint ? `${d.message}\n${d.hint}` : d.message));
  const explain = (f: LintFindings['findings'][number]) => `${f.message}\nwhy: ${LINT_RULES.get(f.rule)!.why}\nfix: ${f.fix}`;
  for (const f of report.findings) lines.push(annotation('warning', f.position, pathOf, `sqlmig ${f.rule}`, explain(f)));
  if (showAllowed) {
    for (const f of report.allowed) lines.push(annotation('notice', f.position, pathOf, `sqlmig ${f.rule} (allowed)`, f.message));
  }
  return lines;
}

const SYNTAX_ERROR_RULE = {
  id: 'syntax-error', why: 'the PostgreSQL parser rejects this section; sqlmig up would fail on it', fix: 'correct the SQL at the position given',
};

/**
 * A SARIF 2.1.0 log: one run whose tool.driver lists every lint rule (and `syntax-error`), and one
 * result per finding at its file, line and column (columns count code points). Allowed findings are
 * results suppressed in source (`-- allow: rule`).
 */
export function renderSarif(report: LintFindings, pathOf: PathOf, version: string): object {
  const rules = [...LINT_RULES.values(), SYNTAX_ERROR_RULE];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const location = (position: SourcePosition) => ({
    physicalLocation: {
      // A relative URI reference: each segment percent-encoded, `/` kept.
      artifactLocation: { uri: pathOf(position.path).split('/').map(encodeURIComponent).join('/') },
      region: { startLine: position.line, startColumn: position.column },
    },
  });
  const result = (rule: string, level: 'error' | 'warning', message: string, position: SourcePosition) => ({
    ruleId: rule, ruleIndex: index.get(rule)!, level, message: { text: message }, locations: [location(position)],
  });
  const results = [
    ...report.syntaxErrors.filter((d) => d.position).map((d) => result(SYNTAX_ERROR_RULE.id, 'error', d.message, d.position!)),
    ...report.findings.map((f) => result(f.rule, 'warning', f.message, f.position)),
    ...report.allowed.map((f) => ({
      ...result(f.rule, 'warning', f.message, f.position),
      suppressions: [{ kind: 'inSource', justification: `-- allow: ${f.rule}` }],
    })),
  ];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'sqlmig',
          version,
          rules: rules.map((r) => ({
            id: r.id, name: r.id, shortDescription: { text: r.why }, help: { text: r.fix },
            defaultConfiguration: { level: r.id === SYNTAX_ERROR_RULE.id ? 'error' : 'warning' },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results,
    }],
  };
}
