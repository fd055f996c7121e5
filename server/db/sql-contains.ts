import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * `<text> LIKE '%word%'` with the word taken literally: LIKE treats % and _ as wildcards, so a
 * search for "50%" must escape them to find the literal text. Portable (SQLite and PostgreSQL);
 * case-folding, where wanted, is the caller's (lower-cased text and word).
 */
export function containsWord(text: RawBuilder<unknown>, word: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${text} like ${`%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`} escape '\\'`;
}
