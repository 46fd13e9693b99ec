/**
 * Searches EVERY text-like column of EVERY table in the public schema (text, varchar, char, json,
 * jsonb, bytea read as text, arrays and tsvector cast to text) for any of `needles`,
 * case-insensitively. Returns "Table.column" for each hit. Used by the erasure tests (unit and e2e)
 * to prove that no trace of the person is left anywhere, including tables added after this was written.
 */
type RawClient = { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

export async function findTraces(client: RawClient, needles: readonly string[]): Promise<string[]> {
  const wanted = needles.map((needle) => needle.trim()).filter((needle) => needle.length >= 4);
  if (wanted.length === 0) throw new Error("findTraces needs at least one needle of 4 or more characters.");
  const columns = await client.$queryRawUnsafe<{ table_name: string; column_name: string; data_type: string; udt_name: string }[]>(
    `SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type, c.udt_name::text AS udt_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public'
        AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'tsvector', 'ARRAY', 'USER-DEFINED'))
        AND c.table_name <> '_prisma_migrations'`,
  );
  const patterns = wanted.map((needle) => `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const hits: string[] = [];
  for (const column of columns) {
    const ident = `"${column.column_name.replace(/"/g, '""')}"`;
    const table = `"${column.table_name.replace(/"/g, '""')}"`;
    const asText = column.data_type === "bytea" ? `encode(${ident}, 'escape')` : `${ident}::text`;
    const rows = await client.$queryRawUnsafe<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${table} WHERE lower(${asText}) LIKE ANY($1::text[])) AS found`,
      patterns,
    );
    if (rows[0]?.found) hits.push(`${column.table_name}.${column.column_name}`);
  }
  return hits;
}
