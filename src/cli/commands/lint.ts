// `sqlmig lint`: breaking changes (deletions and updates) found by the PostgreSQL parser.
import type { Argv } from 'yargs';
import { ExitCode, LINT_RULES, lintProject, loadProject, plural, renderDiagnostics, type LintFinding } from '../../index.js';
import type { Context } from '../context.js';
import type { Output } from '../output.js';

export const command = 'lint';
export const describe = 'Check migrations for breaking changes (exit 7 when there are findings)';

export function builder(y: Argv) {
  return y
    .option('show-allowed', { type: 'boolean', describe: 'Also list findings that files allow with "-- allow: rule"' })
    .example('$0 lint', 'every deploy section, checked')
    .epilogue(`Rules: ${[...LINT_RULES.keys()].join(', ')}.\nA file opts out of a rule with a header line "-- allow: rule-id".`);
}

export async function run(ctx: Context, argv: { showAllowed?: boolean }): Promise<number> {
  const project = await loadProject(ctx.dir, ctx.dialect);
  const report = await lintProject(project, { vars: ctx.vars });
  ctx.output.data(report);
  if (report.skippedRules.length > 0) {
    ctx.output.info(ctx.output.err.dim(`sqlmig lint: ${ctx.dialect.name} project: skipped the rules that read PostgreSQL's grammar (${report.skippedRules.join(', ')})`));
  }
  if (report.syntaxErrors.length > 0) ctx.output.problem(renderDiagnostics(report.syntaxErrors, ctx.output.err));
  for (const f of report.findings) printFinding(ctx.output, f, false);
  if (argv.showAllowed) for (const f of report.allowed) printFinding(ctx.output, f, true);
  const files = new Set(report.findings.map((f) => f.migration)).size;
  const allowed = report.allowed.length > 0 ? ` (${report.allowed.length} allowed)` : '';
  ctx.output.result(report.findings.length === 0
    ? `sqlmig lint: no breaking changes in ${plural(project.order.length, 'migration')}${allowed}`
    : `sqlmig lint: ${plural(report.findings.length, 'breaking change')} in ${plural(files, 'migration')}${allowed}`);
  if (report.syntaxErrors.length > 0) return ExitCode.invalidInput;
  return report.findings.length > 0 ? ExitCode.lintFindings : ExitCode.ok;
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
