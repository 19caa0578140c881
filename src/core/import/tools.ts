// The tools `sqlmig import --from` knows, by the name the command line uses.
import type { ImportTool, ToolName } from './compose.js';
import { DBMATE } from './dbmate.js';
import { DIESEL } from './diesel.js';
import { FLYWAY } from './flyway.js';
import { GOLANG_MIGRATE } from './golang-migrate.js';
import { GOOSE } from './goose.js';
import { SQITCH } from './sqitch.js';
import { SQL_MIGRATE } from './sql-migrate.js';

export const IMPORT_TOOLS: Record<ToolName, ImportTool> = {
  dbmate: DBMATE, diesel: DIESEL, flyway: FLYWAY, 'golang-migrate': GOLANG_MIGRATE, goose: GOOSE, 'sql-migrate': SQL_MIGRATE, sqitch: SQITCH,
};

export const IMPORT_TOOL_NAMES = Object.keys(IMPORT_TOOLS).sort() as ToolName[];

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(IMPORT_TOOLS, name);
}
