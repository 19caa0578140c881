// `sqlmig graph`: prints the order (or one part of the graph) without touching a database.
import type { Argv } from 'yargs';
import { dependentsOf, GRAPH_FORMATS, graphJson, loadProject, renderDiagnostics, renderGraph, requirementsOf, UsageError, type GraphFormat, type Project } from '../../index.js';
import type { Context } from '../context.js';

export const command = 'graph';
export const describe = 'Print the order in which migrations apply (no database needed)';

export function builder(y: Argv) {
  return y
    .option('format', { choices: GRAPH_FORMATS, default: 'text' as GraphFormat, describe: 'Output format' })
    .option('dependents', { type: 'string', describe: 'Only NAME and the migrations that require it, directly or not' })
    .option('requires-of', { type: 'string', describe: 'Only NAME and what it requires, directly or not' })
    .conflicts('dependents', 'requires-of')
    .example('$0 graph', 'numbered order with requires')
    .example('$0 graph --format dot | dot -Tsvg > graph.svg', 'draw the graph with Graphviz')
    .example('$0 graph --dependents app/users', 'what a revert of app/users would take with it');
}

export async function run(ctx: Context, argv: { format: GraphFormat; dependents?: string; requiresOf?: string }): Promise<number> {
  const project = await loadProject(ctx.dir, ctx.dialect);
  if (project.warnings.length > 0) ctx.output.problem(renderDiagnostics(project.warnings, ctx.output.err));
  const migrations = select(project, argv);
  // --json is a shorthand for --format json.
  const format = ctx.output.json ? 'json' : argv.format;
  if (format === 'json') process.stdout.write(`${JSON.stringify(graphJson(migrations), null, 2)}\n`);
  else ctx.output.result(renderGraph(migrations, format, ctx.output.out));
  return 0;
}

function select(project: Project, argv: { dependents?: string; requiresOf?: string }) {
  const name = argv.dependents ?? argv.requiresOf;
  if (name === undefined) return project.order;
  if (!project.byName.has(name)) throw new UsageError(`unknown migration "${name}"`, { hint: 'run sqlmig graph to list the names' });
  const part = new Set(argv.dependents !== undefined ? dependentsOf(project, name) : requirementsOf(project, name));
  part.add(name);
  return project.order.filter((m) => part.has(m.name));
}
