import { expect } from 'chai';
import Joi from 'joi';
import { ValidationError } from '../../../server/errors.ts';
import { formatNumber, inLanguage, translate } from '../../../server/web/i18n/index.ts';
import { parseTypedNumber, parseVietnameseNumber, validate, vnNumber } from '../../../server/web/validate.ts';

describe('numbers typed the Vietnamese way (parseVietnameseNumber, vnNumber)', () => {
  it('reads dots as thousands and the comma as the decimal mark, and the plain forms', () => {
    const cases: [string, number][] = [
      ['1.200', 1200], ['15.000.000', 15_000_000], ['2,5', 2.5], ['1.234,5', 1234.5], ['-2,5', -2.5], ['\u22122,5', -2.5],
      ['1200', 1200], ['2.5', 2.5], ['-4.5', -4.5], ['12.50', 12.5], ['1.2345', 1.2345], ['1234.567', 1234.567], ['+3', 3], ['0', 0], ['-0', 0],
      ['1 200', 1200], ['15\u00a0000\u00a0000', 15_000_000], ['15\u202f000\u202f000', 15_000_000], ['  1.200  ', 1200], ['1 234,5', 1234.5],
    ];
    for (const [typed, value] of cases) expect(parseVietnameseNumber(typed), JSON.stringify(typed)).to.equal(value);
  });

  it('reads nothing else: several commas, broken groups, exponents, units', () => {
    for (const typed of ['1,2,3', '1.2.3', '12.34.5', '1.200.5', '1.200,5,0', '1e3', '0x10', 'Infinity', '29,7 cm', '', ' ', '.5', ',5', '1.', '1,', '--1', '1 2', '12 34', 'một']) {
      expect(parseVietnameseNumber(typed), JSON.stringify(typed)).to.equal(undefined);
    }
  });

  it('validates with the number rules: JSON numbers as before, "1.200" is 1200 for an integer, "2,5" is not an integer', () => {
    const schema = Joi.object({ people: vnNumber().integer().min(0).max(100_000_000), mm: vnNumber().min(-50).max(50).precision(1) });
    expect(validate(schema, { people: '1.200', mm: '2,5' }, { form: true })).to.deep.equal({ people: 1200, mm: 2.5 });
    expect(validate(schema, { people: 1200, mm: -4.5 })).to.deep.equal({ people: 1200, mm: -4.5 });
    expect(validate(schema, { people: '15 000', mm: '-4.5' })).to.deep.equal({ people: 15000, mm: -4.5 });
    const reasons = (body: Record<string, unknown>) => {
      try {
        validate(schema, body, { form: true });
      } catch (error) {
        if (error instanceof ValidationError) return Object.fromEntries(error.details.map((d) => [d.field, d.reason]));
        throw error;
      }
      return {};
    };
    expect(reasons({ people: '1,2,3', mm: '1e1' })).to.deep.equal({ people: 'not_a_number', mm: 'not_a_number' });
    expect(reasons({ people: '2,5', mm: '1.200' })).to.deep.equal({ people: 'not_an_integer', mm: 'too_large' });
    expect(reasons({ people: true, mm: '-60' })).to.deep.equal({ people: 'not_a_number', mm: 'too_small' });
  });

  it('reads an English reader\'s numbers the English way: the comma groups thousands, the dot marks decimals', () => {
    const cases: [string, number][] = [['1,200', 1200], ['15,000,000', 15_000_000], ['2.5', 2.5], ['1,234.5', 1234.5], ['1200', 1200], ['-4.5', -4.5]];
    for (const [typed, value] of cases) expect(parseTypedNumber(typed, 'en'), JSON.stringify(typed)).to.equal(value);
    expect(parseTypedNumber('1,200', 'vi'), 'Vietnamese: a decimal comma').to.equal(1.2);
    const schema = Joi.object({ people: vnNumber().integer() });
    expect(inLanguage('en', () => validate(schema, { people: '1,200' }, { form: true }))).to.deep.equal({ people: 1200 });
    expect(validate(schema, { people: '1.200' }, { form: true }), 'outside a request: Vietnamese').to.deep.equal({ people: 1200 });
  });
});

describe('numbers and plurals written for the reader (formatNumber, translate)', () => {
  it('writes 1.200 and 2,5 in Vietnamese, 1,200 and 2.5 for a reader of English, following the request\'s language', () => {
    expect(formatNumber(1200)).to.equal('1.200');
    expect(formatNumber(2.5)).to.equal('2,5');
    expect(inLanguage('en', () => [formatNumber(1200), formatNumber(2.5), formatNumber(1200, 'vi')])).to.deep.equal(['1,200', '2.5', '1.200']);
  });

  it('says "1 collective" and "2 collectives" in English, and leaves Vietnamese nouns as they are', () => {
    expect(translate('en', 'awards.decision.recipients', { collectives: 1, individuals: 2 })).to.equal('1 collective and 2 individuals');
    expect(translate('en', 'awards.decision.recipients', { collectives: '1,200', individuals: '1' })).to.equal('1,200 collectives and 1 individual');
    expect(translate('vi', 'awards.decision.recipients', { collectives: 1, individuals: 2 })).to.equal('1 tập thể và 2 cá nhân');
    expect(translate('en', 'common.formErrors', { count: 1 })).to.equal('The form has 1 error; please fix the marked fields.');
  });
});
