// A search for a phrase found in many models, inside a narrow scope (a province), reads the scope's rows
// instead of the word index (README, Benchmarks: the index collects every model with the phrase first,
// ~130 ms at 1M models). The choice follows PostgreSQL's statistics of search_words (its words and
// pairs of words); the answer must not change.
import { expect } from 'chai';
import { sql } from 'kysely';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { ALL_UNITS } from '../../server/auth/scope.ts';
import { searchReach } from '../../server/models/repository.ts';
import { SEARCH_COUNT_CAP } from '../../server/models/http.ts';

async function createModels(unitId: number, count: number, title: (n: number) => string): Promise<void> {
  const prefix = `R${uniqueSuffix()}`;
  for (let from = 1; from <= count; from += 250) {
    const rows = Array.from({ length: Math.min(250, count - from + 1) }, (_, i) => from + i);
    await sql`
      INSERT INTO models (code, title, unit_id, year, field_code, block_code, kind, summary)
      SELECT ${prefix} || '-' || g, t, ${unitId}::integer, 2024, 'nong_thon_moi', 'chinh_quyen', 'model', 'Tóm tắt'
      FROM unnest(${rows}::integer[], ${rows.map(title)}::text[]) AS r(g, t)`.execute(db());
  }
}

describe('model search: index or scope', () => {
  it('reads a narrow scope for common words and the index otherwise, with the same answers', async function () {
    this.timeout(120_000);
    const before = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM models`.execute(db())).rows[0]!.n);
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const word = `xoang${uniqueSuffix().replace(/[^a-z]/gi, '').toLowerCase()}`;
    // Enough models with the word that it is in well over 5 % of all models, one of them also rare.
    const count = Math.max(1000, Math.ceil(before / 4));
    await createModels(unit.id, count, (n) => (n === 7 ? `Hát ${word} ở bản Chiêng` : `Hát ${word} số ${n}`));
    await sql`ANALYZE models`.execute(db());

    const narrow = { all: false as const, unitIds: [unit.id] };
    expect(await searchReach(db(), narrow, { q: `hát ${word}` }), 'common words, one unit').to.equal('scope');
    expect(await searchReach(db(), narrow, { q: `${word} chiêng` }), 'a rare pair of common words').to.equal('index');
    expect(await searchReach(db(), narrow, { q: `hát ${word} ở bản` }), 'a rare pair in the phrase').to.equal('index');
    expect(await searchReach(db(), narrow, { q: word.slice(0, 6) }), 'one common word, typed in part').to.equal('scope');
    expect(await searchReach(db(), ALL_UNITS, { q: `hát ${word}` }), 'the whole country').to.equal('index');
    expect(await searchReach(db(), ALL_UNITS, { q: `hát ${word}`, unitIds: [unit.id] }), 'the whole country filtered to one unit').to.equal('scope');
    expect(await searchReach(db(), narrow, {}), 'no search').to.equal('index');

    const common = await api('GET', `/models?q=${encodeURIComponent(`hat ${word}`)}&limit=5`, { token: agency.token });
    expect(common.status).to.equal(200);
    expect(common.body.total).to.equal(Math.min(count, SEARCH_COUNT_CAP));
    expect(common.body.totalCapped).to.equal(count > SEARCH_COUNT_CAP ? true : undefined);
    expect(common.body.items).to.have.length(5);
    const rare = await api('GET', `/models?q=${encodeURIComponent(`${word} o ban chieng`)}`, { token: agency.token });
    expect(rare.body.total).to.equal(1);
    expect(rare.body.items[0].title).to.equal(`Hát ${word} ở bản Chiêng`);
  });
});
