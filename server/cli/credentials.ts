// `npm run credentials -- rotate-key`: retires the key that signs digital credentials and makes a new
// one. The old key stays in did.json, so every credential it signed still verifies; nothing secret is printed.
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { rotateSigningKey } from '../credentials/service.ts';
import { openConfiguredDatabase } from './open.ts';

const usage = 'npm run credentials -- rotate-key';
if (process.argv[2] !== 'rotate-key') {
  console.error(usage);
  process.exit(2);
}

const { database } = await openConfiguredDatabase();
try {
  const { retired, current } = await rotateSigningKey(database.db, SYSTEM_ACTOR);
  console.log(`Khóa ký mới / new signing key: ${current}${retired ? ` (khóa cũ ${retired} vẫn công bố để xác minh / the old key stays published)` : ''}`);
} finally {
  await database.close();
}
