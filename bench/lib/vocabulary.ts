// Word lists for the generated registry: the 34 provinces of 1 July 2025 with the provinces merged
// into them, the agencies every province has, and the pieces model titles and summaries are built from.

export interface Province {
  code: string;
  name: string;
  /** 'tỉnh' or 'thành phố', as it appears inside an agency's name. */
  type: 'tỉnh' | 'thành phố';
  /** Provinces merged into this one on 1 July 2025 (Nghị quyết 202/2025/QH15). */
  absorbed: { code: string; name: string; type: 'tỉnh' | 'thành phố' }[];
}

const t = (code: string, name: string) => ({ code, name, type: 'tỉnh' as const });

export const PROVINCES: Province[] = [
  { code: 'HNI', name: 'Hà Nội', type: 'thành phố', absorbed: [] },
  { code: 'HUE', name: 'Huế', type: 'thành phố', absorbed: [] },
  { code: 'LCU', name: 'Lai Châu', type: 'tỉnh', absorbed: [] },
  { code: 'DBN', name: 'Điện Biên', type: 'tỉnh', absorbed: [] },
  { code: 'SLA', name: 'Sơn La', type: 'tỉnh', absorbed: [] },
  { code: 'LSN', name: 'Lạng Sơn', type: 'tỉnh', absorbed: [] },
  { code: 'QNH', name: 'Quảng Ninh', type: 'tỉnh', absorbed: [] },
  { code: 'THA', name: 'Thanh Hóa', type: 'tỉnh', absorbed: [] },
  { code: 'NAN', name: 'Nghệ An', type: 'tỉnh', absorbed: [] },
  { code: 'HTH', name: 'Hà Tĩnh', type: 'tỉnh', absorbed: [] },
  { code: 'CBG', name: 'Cao Bằng', type: 'tỉnh', absorbed: [] },
  { code: 'TQG', name: 'Tuyên Quang', type: 'tỉnh', absorbed: [t('HGG', 'Hà Giang')] },
  { code: 'LCI', name: 'Lào Cai', type: 'tỉnh', absorbed: [t('YBI', 'Yên Bái')] },
  { code: 'TNN', name: 'Thái Nguyên', type: 'tỉnh', absorbed: [t('BKN', 'Bắc Kạn')] },
  { code: 'PTO', name: 'Phú Thọ', type: 'tỉnh', absorbed: [t('VPC', 'Vĩnh Phúc'), t('HBH', 'Hòa Bình')] },
  { code: 'BNH', name: 'Bắc Ninh', type: 'tỉnh', absorbed: [t('BGG', 'Bắc Giang')] },
  { code: 'HYN', name: 'Hưng Yên', type: 'tỉnh', absorbed: [t('TBH', 'Thái Bình')] },
  { code: 'HPG', name: 'Hải Phòng', type: 'thành phố', absorbed: [t('HDG', 'Hải Dương')] },
  { code: 'NBH', name: 'Ninh Bình', type: 'tỉnh', absorbed: [t('HNM', 'Hà Nam'), t('NDH', 'Nam Định')] },
  { code: 'QTI', name: 'Quảng Trị', type: 'tỉnh', absorbed: [t('QBH', 'Quảng Bình')] },
  { code: 'DNG', name: 'Đà Nẵng', type: 'thành phố', absorbed: [t('QNM', 'Quảng Nam')] },
  { code: 'QNI', name: 'Quảng Ngãi', type: 'tỉnh', absorbed: [t('KTM', 'Kon Tum')] },
  { code: 'GLI', name: 'Gia Lai', type: 'tỉnh', absorbed: [t('BDH', 'Bình Định')] },
  { code: 'KHA', name: 'Khánh Hòa', type: 'tỉnh', absorbed: [t('NTN', 'Ninh Thuận')] },
  { code: 'LDG', name: 'Lâm Đồng', type: 'tỉnh', absorbed: [t('DKN', 'Đắk Nông'), t('BTN', 'Bình Thuận')] },
  { code: 'DLK', name: 'Đắk Lắk', type: 'tỉnh', absorbed: [t('PYN', 'Phú Yên')] },
  { code: 'HCM', name: 'Hồ Chí Minh', type: 'thành phố', absorbed: [t('BDG', 'Bình Dương'), t('BRVT', 'Bà Rịa - Vũng Tàu')] },
  { code: 'DNI', name: 'Đồng Nai', type: 'tỉnh', absorbed: [t('BPC', 'Bình Phước')] },
  { code: 'TNH', name: 'Tây Ninh', type: 'tỉnh', absorbed: [t('LAN', 'Long An')] },
  { code: 'CTO', name: 'Cần Thơ', type: 'thành phố', absorbed: [t('STG', 'Sóc Trăng'), t('HGI', 'Hậu Giang')] },
  { code: 'VLG', name: 'Vĩnh Long', type: 'tỉnh', absorbed: [t('BTE', 'Bến Tre'), t('TVH', 'Trà Vinh')] },
  { code: 'DTP', name: 'Đồng Tháp', type: 'tỉnh', absorbed: [t('TGG', 'Tiền Giang')] },
  { code: 'CMU', name: 'Cà Mau', type: 'tỉnh', absorbed: [t('BLU', 'Bạc Liêu')] },
  { code: 'AGG', name: 'An Giang', type: 'tỉnh', absorbed: [t('KGG', 'Kiên Giang')] },
];

/**
 * The agencies and organisations of a province: code suffix, name template, kind, block. In a name,
 * {t} is 'tỉnh' or 'thành phố', {u} 'Tỉnh ủy' or 'Thành ủy', {d} 'Tỉnh đoàn' or 'Thành đoàn', {n} the name.
 */
export const AGENCIES: [string, string, 'agency' | 'organisation', string][] = [
  ['UBND', 'Ủy ban nhân dân {t} {n}', 'agency', 'chinh_quyen'],
  ['VP', 'Văn phòng Ủy ban nhân dân {t} {n}', 'agency', 'chinh_quyen'],
  ['SNV', 'Sở Nội vụ {t} {n}', 'agency', 'chinh_quyen'],
  ['STC', 'Sở Tài chính {t} {n}', 'agency', 'chinh_quyen'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo {t} {n}', 'agency', 'chinh_quyen'],
  ['SYT', 'Sở Y tế {t} {n}', 'agency', 'chinh_quyen'],
  ['SNNMT', 'Sở Nông nghiệp và Môi trường {t} {n}', 'agency', 'chinh_quyen'],
  ['SXD', 'Sở Xây dựng {t} {n}', 'agency', 'chinh_quyen'],
  ['SCT', 'Sở Công Thương {t} {n}', 'agency', 'chinh_quyen'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch {t} {n}', 'agency', 'chinh_quyen'],
  ['SKHCN', 'Sở Khoa học và Công nghệ {t} {n}', 'agency', 'chinh_quyen'],
  ['STP', 'Sở Tư pháp {t} {n}', 'agency', 'chinh_quyen'],
  ['TTRA', 'Thanh tra {t} {n}', 'agency', 'chinh_quyen'],
  ['BDV', 'Ban Dân vận {u} {n}', 'agency', 'dang'],
  ['BTC', 'Ban Tổ chức {u} {n}', 'agency', 'dang'],
  ['MTTQ', 'Ủy ban Mặt trận Tổ quốc Việt Nam {t} {n}', 'organisation', 'mat_tran_doan_the'],
  ['HLHPN', 'Hội Liên hiệp Phụ nữ {t} {n}', 'organisation', 'mat_tran_doan_the'],
  ['DOAN', '{d} {n}', 'organisation', 'mat_tran_doan_the'],
  ['CA', 'Công an {t} {n}', 'agency', 'luc_luong_vu_trang'],
  ['BCHQS', 'Bộ Chỉ huy Quân sự {t} {n}', 'agency', 'luc_luong_vu_trang'],
];

/** Syllables for place names (communes, districts, hamlets). */
export const PLACE_SYLLABLES = [
  'An', 'Bình', 'Phú', 'Tân', 'Hòa', 'Thạnh', 'Long', 'Vĩnh', 'Đông', 'Tây', 'Nam', 'Bắc', 'Thanh', 'Hưng', 'Mỹ', 'Lộc',
  'Hải', 'Sơn', 'Trung', 'Quang', 'Phước', 'Thuận', 'Lợi', 'Hiệp', 'Xuân', 'Hạ', 'Thượng', 'Đức', 'Minh', 'Nghĩa', 'Tiến',
  'Cường', 'Thịnh', 'Khánh', 'Hồng', 'Lạc', 'Yên', 'Định', 'Thái', 'Hậu', 'Giang', 'Lâm', 'Kim', 'Ngọc', 'Châu', 'Điền',
];

/** The beginning of a title; the ones naming the movement make 'dan van kheo' hit about a quarter of the rows. */
export const TITLE_HEADS_KHEO = ['Mô hình "Dân vận khéo" trong', 'Mô hình "Dân vận khéo"', 'Điển hình "Dân vận khéo" về', 'Mô hình dân vận khéo về'];
export const TITLE_HEADS = [
  'Mô hình', 'Mô hình', 'Mô hình', 'Mô hình điểm về', 'Câu lạc bộ', 'Tổ tự quản', 'Tổ phụ nữ', 'Chi hội phụ nữ', 'Đoàn thanh niên',
  'Hội Cựu chiến binh', 'Phong trào', 'Chương trình', 'Tổ hòa giải', 'Tổ an ninh nhân dân', 'Hội Nông dân', 'Nhóm hộ',
  'Chi bộ', 'Ban công tác Mặt trận', 'Tổ dân vận', 'Đội thanh niên tình nguyện',
];

export const TITLE_TOPICS = [
  'xây dựng nông thôn mới', 'xây dựng nông thôn mới nâng cao', 'giảm nghèo bền vững', 'hiến đất mở rộng đường giao thông',
  'bảo vệ môi trường', 'phân loại rác thải tại nguồn', 'chuyển đổi số trong cải cách hành chính', 'giữ gìn an ninh trật tự',
  'phòng, chống ma túy', 'xây dựng nhà tình thương', 'khuyến học, khuyến tài', 'chăm sóc người cao tuổi', 'phụ nữ khởi nghiệp',
  'tiết kiệm vì phụ nữ nghèo', 'thắp sáng đường quê', 'tuyến đường hoa kiểu mẫu', 'camera an ninh', 'dịch vụ công trực tuyến',
  'bình dân học vụ số', 'nước sạch nông thôn', 'sản xuất lúa chất lượng cao', 'nuôi tôm sinh thái', 'trồng rừng gỗ lớn',
  'du lịch cộng đồng', 'chợ an toàn thực phẩm', 'giải quyết đơn thư tại cơ sở', 'đối thoại với nhân dân', 'tiếp công dân',
  'hỗ trợ người lao động', 'vận động đồng bào dân tộc thiểu số', 'đồng bào có đạo sống tốt đời đẹp đạo', 'khu dân cư văn minh',
  'gia đình văn hóa', 'phòng chống bạo lực gia đình', 'hỗ trợ phụ nữ phát triển kinh tế', 'phụ nữ tham gia bảo vệ môi trường',
  'tổ hợp tác sản xuất rau an toàn', 'chuyển đổi cơ cấu cây trồng', 'liên kết tiêu thụ nông sản', 'ứng dụng công nghệ cao',
  'cải cách thủ tục hành chính', 'một cửa liên thông', 'thanh toán không dùng tiền mặt', 'an toàn giao thông',
  'phòng cháy chữa cháy', 'bảo vệ đường biên, cột mốc', 'quân dân chung sức', 'nghĩa tình biên giới', 'hũ gạo tình thương',
  'bữa cơm nghĩa tình', 'tủ sách pháp luật', 'hòa giải ở cơ sở', 'phòng, chống thiên tai', 'chống rác thải nhựa',
];

/** Rare topics, each in about one row in 10,000 (case (d) searches one of them). */
export const RARE_TOPICS = [
  'bảo tồn nghề dệt thổ cẩm', 'gìn giữ điệu xòe Thái', 'trồng sâm Ngọc Linh dưới tán rừng', 'nuôi yến lấy tổ',
  'phục dựng lễ hội đua ghe Ngo', 'đan lát mây tre xuất khẩu', 'làm nước mắm truyền thống', 'trồng chè Shan tuyết cổ thụ',
  'giữ nghề gốm Chăm', 'khôi phục hát Then đàn tính',
];

export const PLACE_WORDS = ['tại xã', 'tại phường', 'ở thôn', 'ở ấp', 'tại khu phố', 'ở bản', 'tại tổ dân phố', 'tại khu dân cư'];

export const ACTORS = [
  'cán bộ, đảng viên', 'chi hội phụ nữ', 'đoàn viên thanh niên', 'người có uy tín trong đồng bào dân tộc thiểu số',
  'hội viên cựu chiến binh', 'Ban công tác Mặt trận khu dân cư', 'hội viên nông dân', 'các chức sắc tôn giáo',
  'lực lượng công an xã', 'tổ dân vận thôn', 'các hộ kinh doanh', 'giáo viên và phụ huynh học sinh',
];

export const ACTIVITIES = [
  'tổ chức họp dân công khai, dân chủ', 'đến từng hộ gia đình vận động', 'phát huy vai trò nêu gương của người đứng đầu',
  'lắng nghe ý kiến nhân dân', 'phối hợp với các đoàn thể', 'xây dựng quy ước, hương ước', 'lập nhóm Zalo của khu dân cư',
  'tổ chức ngày thứ bảy tình nguyện', 'đối thoại trực tiếp với người dân', 'huy động nguồn lực xã hội hóa',
];

export const RESULTS = [
  'hiến hơn 2.000 m² đất làm đường', 'đóng góp 350 triệu đồng xây cầu', 'xóa 12 nhà tạm, nhà dột nát',
  'giảm tỷ lệ hộ nghèo xuống dưới 2%', 'trồng 5 km đường hoa', 'lắp đặt 40 camera an ninh', 'giải quyết dứt điểm 15 vụ việc khiếu nại',
  'đạt 98% hồ sơ dịch vụ công trực tuyến', 'thành lập 3 tổ hợp tác', 'tăng thu nhập bình quân lên 60 triệu đồng/người/năm',
  'vận động 120 hộ phân loại rác', 'không còn người nghiện ma túy ngoài cộng đồng', 'hỗ trợ 45 phụ nữ vay vốn khởi nghiệp',
  'trao 200 suất học bổng', 'làm mới 3,5 km đường bê tông',
];

export const GOALS = [
  'Nâng cao nhận thức và trách nhiệm của nhân dân', 'Phát huy quyền làm chủ của nhân dân', 'Tăng cường đồng thuận xã hội',
  'Cải thiện đời sống vật chất và tinh thần của người dân', 'Củng cố niềm tin của nhân dân với Đảng và chính quyền',
];

export const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
export const GIVEN_NAMES = ['Văn An', 'Thị Bình', 'Minh Châu', 'Thị Dung', 'Quốc Đạt', 'Thu Hà', 'Văn Hùng', 'Thị Lan', 'Ngọc Mai', 'Văn Nam', 'Thị Oanh', 'Hữu Phúc', 'Thanh Sơn', 'Thị Tuyết', 'Đức Vinh'];
