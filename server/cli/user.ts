// `npm run user -- add --username U --password P --role R --unit CODE [--name "Full name"] [--email E]`
// creates an account in the configured database, through the same service as the admin page.
import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { findUnitByCode } from '../units/repository.ts';
import { newUserSchema } from '../users/schemas.ts';
import { createUser } from '../users/service.ts';
import { unknownReference, ValidationError } from '../errors.ts';
import { translateProblems } from '../web/errors.ts';
import { validate } from '../web/validate.ts';
import { openConfiguredDatabase } from './open.ts';

const usage = 'npm run user -- add --username U --password P --role admin|agency|secretary|member|printer --unit CODE [--name "Họ và tên"] [--email ten@coquan.gov.vn]';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
});
if (positionals[0] !== 'add') {
  console.error(usage);
  process.exit(2);
}

const { database } = await openConfiguredDatabase();
try {
  const unit = values.unit ? await findUnitByCode(database.db, values.unit.toUpperCase()) : undefined;
  if (!unit) throw new ValidationError([unknownReference('unit', 'field.unitId')]);
  const input = validate(newUserSchema, { username: values.username, password: values.password, fullName: values.name ?? values.username, role: values.role, unitId: unit.id, ...(values.email === undefined ? {} : { email: values.email }) });
  const user = await createUser(database.db, { actor: SYSTEM_ACTOR }, input);
  console.log(`Đã tạo tài khoản / created: ${user.username} (${user.role}, ${unit.name}${user.email ? `, ${user.email}` : ''})`);
} catch (error) {
  if (error instanceof ValidationError) {
    for (const detail of translateProblems('vi', error.details)) console.error(`${detail.field}: ${detail.message}`);
    console.error(usage);
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
