// `npm run seed:units`: loads the country's units (reference data) into the configured database;
// a second run inserts nothing. The embedded database must not be open in another process (npm start).
import { DatabaseLockedError } from '../db/folder-lock.ts';
import { referenceData, loadReferenceUnits } from '../units/reference/load.ts';
import { openConfiguredDatabase } from './open.ts';

const { database } = await openConfiguredDatabase().catch((error: unknown) => {
  if (error instanceof DatabaseLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
try {
  const started = performance.now();
  const { inserted, kept } = await loadReferenceUnits(database.db);
  const { release, commit } = referenceData().about.source;
  console.log(
    `Đơn vị hành chính / units of the country (${release}, ${commit.slice(0, 12)}): ` +
      `${inserted} thêm mới / inserted, ${kept} đã có / kept (${Math.round(performance.now() - started)} ms)`,
  );
} finally {
  await database.close();
}
