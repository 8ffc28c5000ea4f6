// Vietnamese sort order in SQL (sql/0035, server/db/vietnamese.ts) on whichever backend the run uses:
// the same order as ICU's Vietnamese collation in Node (Intl.Collator('vi')) over words that trip a
// byte order — "Cải cách" before "Chi bộ" before "Công an", Đ after D, the tones in their order,
// lower case first — and, on a PostgreSQL built with ICU, the same as COLLATE "vi-x-icu".
import { expect } from 'chai';
import { sql } from 'kysely';
import { db } from '../support/context.ts';

const WORDS = [
  'Công an phường Rạch Giá', 'Chi bộ ấp Mỹ Phú', 'Cải cách hành chính', 'Cà Mau', 'Ca', 'ca', 'Cá', 'Cả', 'Cã', 'Cạ', 'ca 1', 'ca-1', 'ca1',
  'Dân vận khéo', 'Đà Nẵng', 'Da', 'Đa', 'Dương', 'Đường',
  'O', 'Ô', 'Ơ', 'On', 'Ôn', 'Ơn', 'Uy', 'Ương', 'Ưu', 'Ý', 'Yên', 'y', 'Gia Lai', 'Giang', 'Hà Giang', 'Hà Nội', 'Hạ Long',
  'Ủy ban nhân dân xã Châu Thành', 'Uỷ ban', 'Trường THPT Nguyễn Trung Trực', 'Trường Tiểu học Mong Thọ', 'Thành phố Hồ Chí Minh', 'Tây Ninh',
  'Nguyễn Văn Ân', 'Nguyễn Văn An', 'Nguyễn Văn Ấn', 'Nguyễn Văn Anh', 'Nguyễn Văn Ăn', 'Ngô Thị Ánh', 'Nghệ An', 'Ngọc',
];

const vietnamese = new Intl.Collator('vi');

async function sqlOrder(expression: string): Promise<string[]> {
  const { rows } = await sql<{ word: string }>`
    SELECT word FROM unnest(${sql.val(WORDS)}::text[]) AS word ORDER BY ${sql.raw(expression)}, word COLLATE "C"`.execute(db());
  return rows.map((row) => row.word);
}

describe('Vietnamese sort order in SQL', () => {
  it('orders like ICU\'s Vietnamese collation (Intl.Collator("vi")): C-a before C-h before C-o, Đ after D, tones in order, lower case first', async () => {
    const expected = [...WORDS].sort(vietnamese.compare);
    expect(await sqlOrder('vi_sort_key(word) COLLATE "C"')).to.deep.equal(expected);
    expect(expected.indexOf('Cải cách hành chính')).to.be.below(expected.indexOf('Chi bộ ấp Mỹ Phú'));
    expect(expected.indexOf('Chi bộ ấp Mỹ Phú')).to.be.below(expected.indexOf('Công an phường Rạch Giá'));
    expect(expected.indexOf('Dương')).to.be.below(expected.indexOf('Đa'));
  });

  it('orders as COLLATE "vi-x-icu" where the PostgreSQL server has that collation', async function () {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_collation WHERE collname = 'vi-x-icu'`.execute(db());
    if (rows[0]!.n === 0) this.skip(); // PGlite and servers built without ICU: the test above is the check there
    expect(await sqlOrder('vi_sort_key(word) COLLATE "C"')).to.deep.equal(await sqlOrder('word COLLATE "vi-x-icu"'));
  });

  it('is the same key for NFC text whatever the case of its letters, save the last part', async () => {
    const { rows } = await sql<{ lower: string; upper: string }>`SELECT vi_sort_key('đà nẵng') AS lower, vi_sort_key('ĐÀ NẴNG') AS upper`.execute(db());
    const [lowerPrimary, lowerTones] = rows[0]!.lower.split('\u0001');
    const [upperPrimary, upperTones] = rows[0]!.upper.split('\u0001');
    expect(upperPrimary).to.equal(lowerPrimary);
    expect(upperTones).to.equal(lowerTones);
  });
});
