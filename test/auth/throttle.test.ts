import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';
import { api, type ApiResponse } from '../support/http.ts';

const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const login = (username: string, password: string, address: string) => api('POST', '/tokens', { body: { username, password }, address });

function statuses(responses: ApiResponse[]) {
  return { checked: responses.filter((r) => r.status === 401).length, refused: responses.filter((r) => r.status === 429) };
}

async function failureRows(where: { username?: string; ip?: string }) {
  return db()
    .selectFrom('login_failures')
    .select(['username', 'ip', 'failed_at'])
    .$if(where.username !== undefined, (qb) => qb.where('username', '=', where.username as string))
    .$if(where.ip !== undefined, (qb) => qb.where('ip', '=', where.ip as string))
    .execute();
}

/** Failures written straight into the table, as if made `minutesAgo` minutes ago. */
async function pastFailures(username: string, ip: string, count: number, minutesAgo: number) {
  for (let i = 0; i < count; i++) {
    await db()
      .insertInto('login_failures')
      .values({ username, ip, failed_at: sql<Date>`now() - make_interval(mins => ${minutesAgo}::integer)` })
      .execute();
  }
}

describe('login throttling under simultaneous attempts', function () {
  this.timeout(120_000);

  it('checks only 5 of 25 simultaneous wrong passwords for one account from 25 addresses, and answers the rest 429 with Retry-After', async () => {
    const user = await createUser({ role: 'member' });
    const { maxPerAccount } = ctx().config.loginThrottle;
    const responses = await Promise.all(Array.from({ length: 25 }, () => login(user.username, 'sai-mật-khẩu-rồi', randomAddress())));
    const { checked, refused } = statuses(responses);
    expect(checked, 'answers after a password check').to.equal(maxPerAccount);
    expect(refused).to.have.length(25 - maxPerAccount);
    for (const response of refused) {
      expect(response.body.error.code).to.equal('rate_limited');
      expect(Number(response.headers.get('retry-after'))).to.be.greaterThan(0);
    }
    expect(await failureRows({ username: user.username })).to.have.length(maxPerAccount);
  });

  it('checks only 5 of 25 simultaneous wrong passwords for one account from one address', async () => {
    const user = await createUser({ role: 'member' });
    const address = randomAddress();
    const responses = await Promise.all(Array.from({ length: 25 }, () => login(user.username, 'sai-mật-khẩu-rồi', address)));
    const { checked, refused } = statuses(responses);
    expect(checked).to.equal(ctx().config.loginThrottle.maxPerAccount);
    expect(refused).to.have.length(25 - checked);
  });

  it('checks only 30 of 40 simultaneous attempts from one address over 40 accounts', async () => {
    const unit = await createUnit();
    const users = await Promise.all(Array.from({ length: 40 }, () => createUser({ role: 'member', unitId: unit.id })));
    const address = randomAddress();
    const responses = await Promise.all(users.map((user) => login(user.username, 'sai-mật-khẩu-rồi', address)));
    const { checked, refused } = statuses(responses);
    expect(checked).to.equal(ctx().config.loginThrottle.maxPerAddress);
    expect(refused).to.have.length(40 - checked);
    expect(await failureRows({ ip: address })).to.have.length(ctx().config.loginThrottle.maxPerAddress);
  });
});

describe('login throttling that does not lock the owner out', function () {
  this.timeout(120_000);

  it('lets the owner in from an address it logged in from before while someone guesses from another, and still stops new addresses', async () => {
    const user = await createUser({ role: 'admin' });
    const home = randomAddress();
    const attacker = randomAddress();
    expect((await login(user.username, TEST_PASSWORD, home)).status, 'the owner logs in once from home').to.equal(201);
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => login(user.username, `đoán-thử-số-${i}`, attacker)));
    expect(statuses(guesses).checked).to.equal(ctx().config.loginThrottle.maxPerAccount);
    expect((await login(user.username, TEST_PASSWORD, attacker)).status, 'the guesser, even with the password').to.equal(429);
    expect((await login(user.username, TEST_PASSWORD, randomAddress())).status, 'a new address').to.equal(429);
    expect((await login(user.username, TEST_PASSWORD, home)).status, 'the owner from home').to.equal(201);
    expect((await login(user.username, TEST_PASSWORD, home)).status, 'and again').to.equal(201);
  });

  it('makes one address wait longer after each further failure for one account, doubling up to the cap', async () => {
    const user = await createUser({ role: 'member' });
    const address = randomAddress();
    const { maxPerAccount, delaySeconds, maxDelayMinutes } = ctx().config.loginThrottle;
    // Earlier failures outside the account's window but remembered for the pair: the pair is at its limit.
    await pastFailures(user.username, address, maxPerAccount, 30);
    expect((await login(user.username, 'sai-lần-thứ-sáu', address)).status, 'the first delay has passed').to.equal(401);
    const first = await login(user.username, 'sai-lần-thứ-bảy', address);
    expect(first.status).to.equal(429);
    // Counted from when the failed attempt began: a loaded machine spends seconds on the password check.
    expect(Number(first.headers.get('retry-after'))).to.be.above(delaySeconds).and.at.most(2 * delaySeconds);

    // Once that wait is over, one more failure doubles it again.
    await db().updateTable('login_failures').set({ failed_at: sql<Date>`failed_at - make_interval(secs => ${2 * delaySeconds}::integer)` }).where('username', '=', user.username).execute();
    expect((await login(user.username, 'sai-lần-thứ-bảy', address)).status).to.equal(401);
    const second = await login(user.username, 'sai-lần-thứ-tám', address);
    expect(second.status).to.equal(429);
    expect(Number(second.headers.get('retry-after'))).to.be.above(2 * delaySeconds).and.at.most(4 * delaySeconds);

    await pastFailures(user.username, address, 30, 60);
    const capped = await login(user.username, TEST_PASSWORD, address);
    expect(capped.status).to.equal(429);
    expect(Number(capped.headers.get('retry-after'))).to.be.within(maxDelayMinutes * 60 - 60, maxDelayMinutes * 60);
    expect(capped.body.error.message).to.equal(`Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${maxDelayMinutes} phút.`);
    expect((await login(user.username, TEST_PASSWORD, randomAddress())).status, 'another address is not delayed').to.equal(201);
  });
});
