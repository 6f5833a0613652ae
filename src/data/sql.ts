// SQL text helpers for the lake's DuckDB queries: literals for strings and lists of strings.
// Not a query builder; queries are written out in full where they are used.

/** A string as a SQL literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A list of strings as a SQL list literal, e.g. a list of files for read_parquet. */
export function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]`;
}
