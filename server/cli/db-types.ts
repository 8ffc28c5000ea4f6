// `npm run db:types`: migrates an in-memory database and rewrites server/db/schema.ts from it.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { generateSchemaSource } from '../db/schema-source.ts';

const { db, close } = await openDatabase({ pgliteDir: 'memory://' });
try {
  await migrateToLatest(db);
  const target = fileURLToPath(new URL('../db/schema.ts', import.meta.url));
  await writeFile(target, await generateSchemaSource(db));
  console.log(`Wrote ${target}`);
} finally {
  await close();
}
