// The year-end paragraph reads like a person wrote it (issue 19): no figure of nothing, singular in
// English for one, fields whose names hold commas kept apart by semicolons, "all units" mid-sentence.
import { expect } from 'chai';
import { headlineParagraph } from '../../../server/reports/paragraph.ts';
import type { Summary } from '../../../server/reports/present.ts';

interface Figures {
  registered?: number; implementing?: number; completed?: number; recognized?: number; previous?: number;
  fields?: [string, number][]; government?: number; collectives?: number; individuals?: number; unitId?: number | null;
}

function summary(f: Figures): Summary {
  const registered = f.registered ?? 0;
  const previous = f.previous ?? 0;
  const change = (now: number, before: number) => ({ count: now - before, percent: before === 0 ? null : Math.round(((now - before) / before) * 10_000) / 100 });
  return {
    year: 2025,
    unitId: f.unitId === undefined ? 7 : f.unitId,
    unitName: f.unitId === null ? 'Toàn bộ đơn vị' : 'Ủy ban nhân dân xã Mỹ Hòa Hưng',
    models: {
      registered, implementing: f.implementing ?? 0, completed: f.completed ?? 0, recognized: f.recognized ?? 0,
      byField: (f.fields ?? []).map(([name, count], i) => ({ code: `f${i}`, name, registered: count })),
      byBlock: f.government === undefined ? [] : [{ code: 'chinh_quyen', name: 'Chính quyền', registered: f.government, share: registered ? Math.round((f.government / registered) * 10_000) / 100 : null }],
      previousYear: { registered: previous, implementing: 0 },
      change: { registered: change(registered, previous), implementing: change(f.implementing ?? 0, 0) },
    },
    awards: { collectives: f.collectives ?? 0, individuals: f.individuals ?? 0, byRound: [] },
  } as unknown as Summary;
}

describe('reports: the headline paragraph', () => {
  it('leaves out what is nothing: no "0 mô hình được công nhận", no "0 cá nhân", no "0/3" government share', () => {
    const text = headlineParagraph(summary({ registered: 3, implementing: 2, completed: 1, fields: [['Kinh tế', 3]], government: 0, collectives: 1 }), 'vi');
    expect(text).to.equal(
      'Năm 2025, Ủy ban nhân dân xã Mỹ Hòa Hưng có 3 mô hình, điển hình "Dân vận khéo" đăng ký xây dựng trong lĩnh vực kinh tế (tăng 3 mô hình so với năm 2024); ' +
        'đã và đang triển khai thực hiện 2 mô hình, điển hình (tăng 2 mô hình so với năm 2024), trong đó 1 mô hình đã hoàn thành. Đã tặng Bằng khen cho 1 tập thể có thành tích xuất sắc.',
    );
    expect(text).not.to.match(/\b0 (mô hình|cá nhân|tập thể)/);
  });

  it('says plainly when nothing was registered or implemented, and gives last year\'s figure', () => {
    expect(headlineParagraph(summary({ registered: 0, previous: 4 }), 'vi')).to.equal('Năm 2025, Ủy ban nhân dân xã Mỹ Hòa Hưng chưa có mô hình, điển hình "Dân vận khéo" nào đăng ký xây dựng (năm 2024 có 4 mô hình).');
    expect(headlineParagraph(summary({ registered: 2, fields: [['Kinh tế', 2]] }), 'vi')).to.include('; chưa có mô hình, điển hình nào triển khai thực hiện.');
    expect(headlineParagraph(summary({ registered: 0 }), 'en')).to.equal('In 2025, Ủy ban nhân dân xã Mỹ Hòa Hưng registered no "Dân vận khéo" models or exemplars.');
  });

  it('keeps a list of fields unambiguous when a name holds a comma, and ends it with "và"', () => {
    const fields: [string, number][] = [['Kinh tế', 1], ['Văn hóa - xã hội', 1], ['Quốc phòng, an ninh', 1]];
    expect(headlineParagraph(summary({ registered: 3, implementing: 3, fields }), 'vi')).to.include('trong các lĩnh vực: kinh tế; văn hóa - xã hội và quốc phòng, an ninh (');
    expect(headlineParagraph(summary({ registered: 2, implementing: 2, fields: fields.slice(0, 2) }), 'vi')).to.include('trong các lĩnh vực: kinh tế và văn hóa - xã hội (');
  });

  it('writes one in the singular in English, and both award kinds only when there are some', () => {
    const text = headlineParagraph(summary({ registered: 1, implementing: 1, recognized: 1, fields: [['Economy', 1]], government: 1, individuals: 1 }), 'en');
    expect(text).to.equal(
      'In 2025, Ủy ban nhân dân xã Mỹ Hòa Hưng registered 1 "Dân vận khéo" model or exemplar in economy (up 1 on 2024); 1 is being or has been implemented (up 1 on 2024), 1 recognised. ' +
        'The government block holds 1/1 model (100%). Certificates of merit went to 1 individual.',
    );
    expect(headlineParagraph(summary({ registered: 2, implementing: 2, collectives: 2, individuals: 3 }), 'en')).to.include('Certificates of merit went to 2 collectives and 3 individuals.');
  });

  it('speaks of all units in lower case mid-sentence', () => {
    expect(headlineParagraph(summary({ registered: 2, implementing: 1, unitId: null }), 'vi')).to.match(/^Năm 2025, toàn bộ các đơn vị có 2 mô hình/);
    expect(headlineParagraph(summary({ registered: 2, implementing: 1, unitId: null }), 'en')).to.match(/^In 2025, all units registered 2/);
  });
});
