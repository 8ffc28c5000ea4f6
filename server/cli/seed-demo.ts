// `npm run seed:demo`: loads the demo units and accounts into the configured database (once).
import { DEMO_USERS, seedDemo } from '../demo/seed.ts';
import { openConfiguredDatabase } from './open.ts';

const { config, database } = await openConfiguredDatabase();
try {
  const loaded = await seedDemo(database.db, config.demoPassword);
  console.log(loaded ? `Đã nạp dữ liệu demo / demo data loaded: ${DEMO_USERS.map((u) => u.username).join(', ')}` : 'Dữ liệu demo đã có sẵn / demo data already present.');
} finally {
  await database.close();
}
