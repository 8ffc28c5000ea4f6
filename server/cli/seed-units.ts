// `npm run seed:units`: loads the country's units (reference data) into the configured database;
// a second run inserts nothing.
import { referenceData, loadReferenceUnits } from '../units/reference/load.ts';
import { openConfiguredDatabase } from './open.ts';

const { database } = await openConfiguredDatabase();
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
