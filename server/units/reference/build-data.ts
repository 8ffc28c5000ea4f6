// Builds units-2025.json, the country's units as reference data, from a local clone (or bare mirror) of
// thanglequoc/vietnamese-provinces-database (MIT). Re-run it on a newer release, commit the file, and add
// a data migration for what changed (README, "Units of the country"):
//   npx tsx server/units/reference/build-data.ts <path to its .git or bare repository> [commit]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: build-data.ts <git dir of vietnamese-provinces-database> [commit]');

// The last release before Resolution 202/2025/QH15 holds the 63 provinces with their codes.
const FORMER_RELEASE = 'v2.4.1';
const CURRENT_FILE = /^json\/simplified_json_generated_data_vn_units_[0-9_-]+\.json$/;
const FORMER_FILE = 'json/simplified_json_generated_data_vn_units_minified.json';
const MAPPING_FILE = 'dataset-generation-scripts/sapnhap-bando-crawler/donvi_tinhthanh.json';

const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
const commit = git('rev-parse', `${commitArg}^{commit}`).trim();
const formerCommit = git('rev-parse', `${FORMER_RELEASE}^{commit}`).trim();
const release = git('describe', '--tags', '--abbrev=0', commit).trim();
const files = git('ls-tree', '-r', '--name-only', commit, 'json/').split('\n').filter((name) => CURRENT_FILE.test(name));
if (files.length !== 1) throw new Error(`expected one current JSON file, found ${files.join(', ') || 'none'}`);
const currentFile = files[0]!;

interface Ward { Code: string; FullName: string; ProvinceCode: string }
interface Province { Code: string; FullName: string; Wards?: Ward[] }
const current = JSON.parse(git('show', `${commit}:${currentFile}`)) as Province[];
const former = JSON.parse(git('show', `${formerCommit}:${FORMER_FILE}`)) as Province[];
const mapping = JSON.parse(git('show', `${commit}:${MAPPING_FILE}`)) as { ma: string; ten: string; truocsapnhap: string }[];

// Names as the source spells them, in NFC, with the kind's first letter upper case ("xã Bắc ..." once).
const clean = (name: string) => {
  const nfc = name.normalize('NFC').trim().replace(/\s+/g, ' ');
  return nfc.charAt(0).toLocaleUpperCase('vi') + nfc.slice(1);
};
const fold = (name: string) =>
  name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/^(tinh|thanh pho|thu do|tp\.?)\s+/, '').replace(/\s+/g, ' ').trim();

const provinces = current.map((p) => [p.Code, clean(p.FullName)] as const);
if (provinces.length !== 34) throw new Error(`expected 34 provinces, found ${provinces.length}`);
const communes = current.flatMap((p) => (p.Wards ?? []).map((w) => [w.Code, clean(w.FullName), w.ProvinceCode] as const));
if (communes.length !== 3321) throw new Error(`expected 3321 communes, found ${communes.length}`);
for (const [code, name, province] of communes) {
  if (!/^\d{5}$/.test(code) || !provinces.some(([p]) => p === province)) throw new Error(`bad commune ${code} ${name} ${province}`);
}

// Successors from the dataset's list of the 34 with what each was made of ("tỉnh Kiên Giang và tỉnh
// An Giang"; "giữ nguyên" = unchanged; "TPHCM"), matched to the 63 by folded name; each of the 63 once.
const formerByName = new Map(former.map((p) => [fold(p.FullName), p]));
const successorOf = new Map<string, string>();
for (const entry of mapping.filter((m) => /^\d{2}$/.test(m.ma))) {
  if (!provinces.some(([code]) => code === entry.ma)) throw new Error(`mapping names unknown province ${entry.ma}`);
  const text = entry.truocsapnhap.split('.')[0]!.trim();
  const parts = text === 'giữ nguyên' ? [entry.ten] : text.split(/,| và /).map((s) => s.trim()).filter(Boolean);
  for (const part of parts) {
    const name = part === 'TPHCM' ? 'Hồ Chí Minh' : part;
    const predecessor = formerByName.get(fold(name));
    if (!predecessor) throw new Error(`no former province named "${part}" (for ${entry.ma})`);
    if (successorOf.has(predecessor.Code)) throw new Error(`former province ${predecessor.Code} mapped twice`);
    successorOf.set(predecessor.Code, entry.ma);
  }
}
const formerProvinces = former.map((p) => {
  const successor = successorOf.get(p.Code);
  if (!successor) throw new Error(`former province ${p.Code} ${p.FullName} has no successor`);
  return [p.Code, clean(p.FullName), successor] as const;
});
if (formerProvinces.length !== 63) throw new Error(`expected 63 former provinces, found ${formerProvinces.length}`);

const byCode = (a: readonly string[], b: readonly string[]) => (a[0] ?? '').localeCompare(b[0] ?? '', 'en');
const header = {
  source: {
    repository: 'https://github.com/thanglequoc/vietnamese-provinces-database',
    release,
    commit,
    files: [currentFile, MAPPING_FILE, `${FORMER_FILE} at ${FORMER_RELEASE} (${formerCommit})`],
    licence: 'MIT, Copyright (c) 2021 Thang Le Quoc',
  },
  legalBasis: [
    'Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh (34 tỉnh, thành phố từ 01/7/2025)',
    'Quyết định 19/2025/QĐ-TTg: Bảng danh mục và mã số các đơn vị hành chính Việt Nam (từ 01/7/2025)',
    'Nghị quyết 30/2026/QH16 (Đồng Nai thành thành phố từ 30/4/2026) as the dataset applies it',
  ],
  validFrom: '2025-07-01',
  formerValidTo: '2025-06-30',
  columns: { provinces: ['officialCode', 'name'], formerProvinces: ['officialCode', 'name', 'successorCode'], communes: ['officialCode', 'name', 'provinceCode'] },
};
// One unit per line: a later release shows in a diff as the lines that changed.
const lines = (rows: readonly (readonly string[])[]) => rows.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
const out = `{\n  "about": ${JSON.stringify(header)},\n  "provinces": [\n${lines([...provinces].sort(byCode))}\n  ],\n  "formerProvinces": [\n${lines([...formerProvinces].sort(byCode))}\n  ],\n  "communes": [\n${lines([...communes].sort(byCode))}\n  ]\n}\n`;
const target = fileURLToPath(new URL('./units-2025.json', import.meta.url));
writeFileSync(target, out);
console.log(`Wrote ${target}: ${provinces.length} provinces, ${formerProvinces.length} former provinces, ${communes.length} communes (${release}, ${commit.slice(0, 12)})`);
