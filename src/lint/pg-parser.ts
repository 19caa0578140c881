// The real PostgreSQL parser (libpg-query, WASM), loaded only when a command lints.

/** A parse tree node as libpg-query returns it: `{ NodeType: { ...fields } }`. */
export type PgNode = Record<string, any>;

export interface ParsedStatement {
  /** `{ AlterTableStmt: {…} }` and the like. */
  node: PgNode;
  /** UTF-8 byte offset of the statement in the parsed text (may point at whitespace before it). */
  byteOffset: number;
}

export type ParseOutcome =
  | { ok: true; statements: ParsedStatement[] }
  | { ok: false; message: string; byteOffset: number };

export interface PgParser {
  parse(sql: string): ParseOutcome;
}

let loaded: Promise<PgParser> | undefined;

export function loadPgParser(): Promise<PgParser> {
  loaded ??= (async () => {
    const lib = await import('libpg-query');
    await lib.loadModule();
    return {
      parse(sql: string): ParseOutcome {
        try {
          const tree = lib.parseSync(sql) as { stmts?: { stmt: PgNode; stmt_location?: number }[] };
          return { ok: true, statements: (tree.stmts ?? []).map((s) => ({ node: s.stmt, byteOffset: s.stmt_location ?? 0 })) };
        } catch (error) {
          const details = (error as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
          return { ok: false, message: details?.message ?? (error as Error).message, byteOffset: details?.cursorPosition ?? 0 };
        }
      },
    };
  })();
  return loaded;
}
