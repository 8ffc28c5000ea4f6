// Vietnamese order in SQL: the key of sql/0035 (vi_sort_key), compared byte by byte. The same order on
// PGlite and on any PostgreSQL, ICU or not; JavaScript sorts with Intl.Collator('vi') (awards/names.ts).
import { sql, type RawBuilder } from 'kysely';

/** `ORDER BY` this for a text column (a column reference such as 'models.title'). */
export function vietnameseOrder(column: string): RawBuilder<string> {
  return sql<string>`vi_sort_key(${sql.ref(column)}) COLLATE "C"`;
}
