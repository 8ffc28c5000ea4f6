// Pure parts of notifications: each kind's sentence in both languages, the e-mail (escaped HTML, one-line
// subject, absolute link), and the retry schedule. No database, no app.
import { expect } from 'chai';
import { defaultRetryDelay } from '../../../server/notifications/mailer.ts';
import { bellView, notificationEmail, notificationText } from '../../../server/notifications/present.ts';

describe('notifications: sentences, e-mails, retries', () => {
  it('says each kind in Vietnamese and in English, counts in the Vietnamese way', () => {
    const decision = { decisionId: 7, decisionNumber: '12/QĐ-UBND', roundTitle: 'Đợt 2025', count: 1200 };
    expect(notificationText('vi', 'decision_issued', { ...decision, audience: 'agency' })).to.equal('Đã ban hành Quyết định số 12/QĐ-UBND (đợt "Đợt 2025"): 1.200 hồ sơ của đơn vị bạn được khen thưởng.');
    expect(notificationText('vi', 'decision_issued', { ...decision, audience: 'printer' })).to.equal('Đã ban hành Quyết định số 12/QĐ-UBND (đợt "Đợt 2025"): 1.200 bằng khen chờ in.');
    expect(notificationText('en', 'nomination_rejected', { nomineeName: 'Lê Văn A', roundTitle: 'R' })).to.equal('The committee did not approve "Lê Văn A" when round "R" closed.');
    expect(notificationText('vi', 'nominations_forwarded', { count: 1, nomineeName: 'Lê Văn A', roundTitle: 'R', fromUnitName: 'Xã A' })).to.equal('Xã A chuyển lên hồ sơ "Lê Văn A" vào đợt "R" để thẩm định.');
    expect(notificationText('vi', 'nominations_forwarded', { count: 3, nomineeName: null, roundTitle: 'R', fromUnitName: 'Xã A' })).to.equal('Xã A chuyển lên 3 hồ sơ vào đợt "R" để thẩm định.');
    expect(bellView('vi', 0).label).to.equal('Thông báo (không có thông báo chưa đọc)');
    expect(bellView('vi', 1234)).to.deep.equal({ unread: 1234, count: '1.234', label: 'Thông báo (1.234 chưa đọc)' });
  });

  it('writes the e-mail with an absolute link, escaped HTML and a one-line subject', () => {
    const email = notificationEmail('vi', { kind: 'nomination_returned', params: { nomineeName: '<script>x</script>\r\nBcc: a@b', roundTitle: 'Đợt "A"', reason: 'Thiếu & sai' }, href: '/nominations/5' }, { fullName: 'Nguyễn Thị Lan' }, 'https://dvk.example.gov.vn/app/');
    expect(email.subject).to.equal('[Dân vận khéo] Hồ sơ bị trả lại: <script>x</script> Bcc: a@b');
    expect(email.text).to.include('Kính gửi Nguyễn Thị Lan,');
    expect(email.text).to.include('Xem chi tiết: https://dvk.example.gov.vn/nominations/5');
    expect(email.html).to.include('&lt;script&gt;x&lt;/script&gt;').and.not.include('<script>');
    expect(email.html).to.include('Thiếu &amp; sai').and.include('href="https://dvk.example.gov.vn/nominations/5"');
    expect(notificationEmail('en', { kind: 'print_job_done', params: { decisionNumber: '3/QĐ-UBND', count: 2 }, href: '/print-jobs/9' }, { fullName: 'A' }, 'http://localhost:3000').subject).to.equal('[Dân vận khéo] Print job done: Decision No. 3/QĐ-UBND');
  });

  it('waits 1, 4, 16, 64 minutes, then at most six hours between attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(defaultRetryDelay)).to.deep.equal([60, 240, 960, 3840, 15360, 21600, 21600]);
  });
});
