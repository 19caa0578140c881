// A tenant's search_path as written ("tenant_42, public") and the history schema it implies.

/** The schemas of a search path, in order: `"tenant_42, public"` -> `["tenant_42", "public"]`; names are taken as written. */
export function schemasOf(searchPath: string): string[] {
  return searchPath.split(',').map((s) => s.trim());
}

/** The history schema: the one given, else `sqlmig_<first schema of the search path>`, else `sqlmig`. */
export function historySchemaOf(schema: string | undefined, searchPath: string | undefined): string {
  if (schema !== undefined) return schema;
  return searchPath === undefined ? 'sqlmig' : `sqlmig_${schemasOf(searchPath)[0]}`;
}
