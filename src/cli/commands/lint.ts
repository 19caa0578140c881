// `sqlmig lint`: breaking changes (deletions and updates) found by the PostgreSQL parser; text, JSON, GitHub annotations or SARIF.
import type { Argv } from 'yargs';
import {
  ciPathResolver, ExitCode, LINT_FORMATS, LINT_RULES, lintProject, loadProject, plural, renderDiagnostics, renderGithubAnnotations, renderSarif,
  selectMigrations, SQLMIG_VERSION, UsageError, type LintFinding, type LintFormat, type LintReport,
} from '../../index.js';
import type { Context } from '../context.js';
import type { Output } from '../output.js';

export const command = 'lint [names..]';
export const describe = 'Check migrations for breaking changes (exit 7 when there are findings)';

export function builder(y: Argv) {
  return y
    .positional('names', { type: 'string', array: true, describe: 'Check only these migrations (names or file paths)' })
    .option('since', { type: 'string', describe: 'Check only the migrations added or changed since this git ref (e.g. origin/main)' })
    .option('format', { type: 'string', choices: LINT_FORMATS, describe: 'text, json, github (workflow annotations) or sarif (SARIF 2.1.0) [default: text]' })
    .option('show-allowed', { type: 'boolean', describe: 'Also list findings that files allow with "-- allow: rule"' })
    .example('$0 lint', 'every deploy section, checked')
    .example('$0 lint --since origin/main --format github', 'what this branch adds, as annotations on the pull request')
    .epilogue(`Rules: ${[...LINT_RULES.keys()].join(', ')}.\nA file opts out of a rule with a header line "-- allow: rule-id".`);
}

interface LintArgs {
  names?: string[];
  since?: string;
  format?: LintFormat;
  showAllowed?: boolean;
}

export async function run(ctx: Context, argv: LintArgs): Promise<number> {
  if (ctx.output.json && argv.format !== undefined && argv.format !== 'json') {
    throw new UsageError(`--json and --format ${argv.format} ask for two outputs`, { hint: 'keep one of them' });
  }
  const format: LintFormat = argv.format ?? (ctx.output.json ? 'json' : 'text');
  const project = await loadProject(ctx.dir, ctx.dialect);
  const only = selectMigrations(project, { names: argv.names, since: argv.since });
  const report = await lintProject(project, { only, vars: ctx.vars });
  if (report.skippedRules.length > 0) {
    ctx.output.info(ctx.output.err.dim(`sqlmig lint: ${ctx.dialect.name} project: skipped the rules that read PostgreSQL's grammar (${report.skippedRules.join(', ')})`));
  }
  const checked = only?.size ?? project.order.length;
  const line = only?.size === 0
    ? `sqlmig lint: nothing to check (${argv.since === undefined ? 'no migration named' : `no migration added or changed since ${argv.since}`})`
    : summary(report, checked);
  if (format === 'text') printText(ctx.output, report, line, argv.showAllowed === true);
  else {
    if (format === 'json') ctx.output.write(JSON.stringify(report, null, 2));
    else if (format === 'github') ctx.output.write(renderGithubAnnotations(report, ciPathResolver(), argv.showAllowed).join('\n'));
    else ctx.output.write(JSON.stringify(renderSarif(report, ciPathResolver(), SQLMIG_VERSION), null, 2));
    // stdout holds only the format asked for; the summary goes to stderr.
    if (!ctx.output.json) ctx.output.info(line);
  }
  if (report.syntaxErrors.length > 0) return ExitCode.invalidInput;
  return report.findings.length > 0 ? ExitCode.lintFindings : ExitCode.ok;
}

function summary(report: LintReport, checked: number): string {
  const files = new Set(report.findings.map((f) => f.migration)).size;
  const allowed = report.allowed.length > 0 ? ` (${report.allowed.length} allowed)` : '';
  return report.findings.length === 0
    ? `sqlmig lint: no breaking changes in ${plural(checked, 'migration')}${allowed}`
    : `sqlmig lint: ${plural(report.findings.length, 'breaking change')} in ${plural(files, 'migration')}${allowed}`;
}

function printText(output: Output, report: LintReport, line: string, showAllowed: boolean): void {
  if (report.syntaxErrors.length > 0) output.problem(renderDiagnostics(report.syntaxErrors, output.err));
  for (const f of report.findings) printFinding(output, f, false);
  if (showAllowed) for (const f of report.allowed) printFinding(output, f, true);
  output.result(line);
}

function printFinding(output: Output, f: LintFinding, allowed: boolean): void {
  const s = output.out;
  const where = `${f.position.path}:${f.position.line}:${f.position.column}`;
  const label = allowed ? s.dim(`allowed[${f.rule}]`) : s.yellow(`warning[${f.rule}]`);
  output.result(`${s.bold(where)} ${label}: ${f.message}`);
  if (!allowed) {
    output.result(`  ${s.cyan('why')}: ${LINT_RULES.get(f.rule)!.why}`);
    output.result(`  ${s.cyan('fix')}: ${f.fix}`);
  }
}
