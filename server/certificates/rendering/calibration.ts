// The calibration test page: a sample certificate with the longest usual texts, printed with the
// layout being calibrated, so an administrator can hold it against a blank form and measure; and
// the millimetre grid printed after it.
import { fitOf, type CertificateSheet } from './templates.ts';
import { qrCode, verificationUrl } from './sheets.ts';

export function calibrationSheet(publicUrl: string, emblemUrl: string | null = null): CertificateSheet {
  const url = verificationUrl(publicUrl, 'MAU-CAN-CHINH-KHONG-CO-GIA-TRI');
  const name = 'Nguyễn Thị Minh Khai';
  const achievement = 'Đã có thành tích xuất sắc trong thực hiện phong trào thi đua "Dân vận khéo" năm 2025 (bản mẫu căn chỉnh, không có giá trị).';
  return {
    recipient: { kind: 'individual', honorific: 'Bà', name, position: 'Trưởng phòng Công tác dân vận', unitName: 'Sở Nội vụ tỉnh An Giang' },
    authority: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG',
    awardVerb: 'TẶNG',
    awardTitle: 'BẰNG KHEN',
    achievement,
    placeDate: 'An Giang, ngày 01 tháng 01 năm 2026',
    signer: { titleLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: 'Họ và tên người ký' },
    decisionLine: 'Quyết định số 0000/QĐ-UBND ngày 01/01/2026',
    registerNumber: '0/2026',
    qr: { ...qrCode(url), url, code: 'MAU-CAN-CHINH-KHONG-CO-GIA-TRI' },
    copyLabel: 'BẢN MẪU CĂN CHỈNH',
    watermark: null,
    fit: fitOf(`Bà ${name}`, achievement),
    emblemUrl,
    digitalSignature: null,
  };
}

/** A second page of the test print: a millimetre grid to measure where the printer puts things. */
export function calibrationGrid(): string {
  return '<section class="sheet calibration-grid"><p class="calibration-grid__label">Lưới căn chỉnh 10 mm — đặt lên phôi, soi trước ánh sáng để đo độ lệch</p></section>';
}
