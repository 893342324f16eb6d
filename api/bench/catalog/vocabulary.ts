/**
 * Vietnamese administrative vocabulary for the catalog benchmark's synthetic corpus: the procedures,
 * agencies, citizens' names and addresses, and the sentences that one-stop-shop dossiers are made of.
 */

export interface BenchProcedure {
  code: string;
  name: string;
  /** Titles of the component documents (thành phần hồ sơ) of a dossier of this procedure. */
  components: string[];
  /** Title of the result (kết quả giải quyết). */
  result: string;
}

export const PROCEDURES: BenchProcedure[] = [
  {
    code: '1.004227',
    name: 'Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu',
    components: ['ĐƠN ĐĂNG KÝ, CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT', 'SƠ ĐỒ THỬA ĐẤT', 'BIÊN LAI THU PHÍ, LỆ PHÍ'],
    result: 'GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT',
  },
  {
    code: '1.003003',
    name: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
    components: ['ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT', 'HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT'],
    result: 'XÁC NHẬN NỘI DUNG BIẾN ĐỘNG TRÊN GIẤY CHỨNG NHẬN',
  },
  {
    code: '1.001990',
    name: 'Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền',
    components: ['ĐƠN XIN CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT', 'TRÍCH LỤC BẢN ĐỒ ĐỊA CHÍNH'],
    result: 'QUYẾT ĐỊNH CHO PHÉP CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT',
  },
  {
    code: '1.009994',
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    components: ['ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG', 'BẢN VẼ THIẾT KẾ XÂY DỰNG', 'BẢN SAO GIẤY TỜ VỀ QUYỀN SỬ DỤNG ĐẤT'],
    result: 'GIẤY PHÉP XÂY DỰNG',
  },
  {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    components: ['TỜ KHAI ĐĂNG KÝ KHAI SINH', 'GIẤY CHỨNG SINH'],
    result: 'GIẤY KHAI SINH',
  },
  {
    code: '1.000894',
    name: 'Đăng ký kết hôn',
    components: ['TỜ KHAI ĐĂNG KÝ KẾT HÔN', 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN'],
    result: 'GIẤY CHỨNG NHẬN KẾT HÔN',
  },
  {
    code: '1.000656',
    name: 'Đăng ký khai tử',
    components: ['TỜ KHAI ĐĂNG KÝ KHAI TỬ', 'GIẤY BÁO TỬ'],
    result: 'TRÍCH LỤC KHAI TỬ',
  },
  {
    code: '1.004873',
    name: 'Cấp bản sao trích lục hộ tịch',
    components: ['TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH'],
    result: 'BẢN SAO TRÍCH LỤC HỘ TỊCH',
  },
  {
    code: '2.000815',
    name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
    components: ['PHIẾU YÊU CẦU CHỨNG THỰC', 'BẢN CHÍNH GIẤY TỜ, VĂN BẢN'],
    result: 'BẢN SAO ĐÃ ĐƯỢC CHỨNG THỰC',
  },
  {
    code: '2.000635',
    name: 'Cấp bản sao từ sổ gốc',
    components: ['ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TỪ SỔ GỐC'],
    result: 'BẢN SAO TỪ SỔ GỐC',
  },
  {
    code: '1.004194',
    name: 'Đăng ký thường trú',
    components: ['TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ', 'GIẤY TỜ CHỨNG MINH CHỖ Ở HỢP PHÁP'],
    result: 'THÔNG BÁO KẾT QUẢ GIẢI QUYẾT ĐĂNG KÝ THƯỜNG TRÚ',
  },
  {
    code: '2.000720',
    name: 'Cấp phiếu lý lịch tư pháp cho công dân Việt Nam',
    components: ['TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP'],
    result: 'PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1',
  },
  {
    code: '2.000575',
    name: 'Đăng ký thành lập hộ kinh doanh',
    components: ['GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH', 'BẢN SAO CĂN CƯỚC CÔNG DÂN CỦA CHỦ HỘ KINH DOANH'],
    result: 'GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH',
  },
  {
    code: '1.001612',
    name: 'Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm',
    components: ['ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM', 'BẢN THUYẾT MINH VỀ CƠ SỞ VẬT CHẤT'],
    result: 'GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM',
  },
  {
    code: '1.002804',
    name: 'Xác nhận tình trạng hôn nhân',
    components: ['TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN'],
    result: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN',
  },
  {
    code: '1.005461',
    name: 'Giải quyết chế độ trợ cấp xã hội hằng tháng',
    components: ['TỜ KHAI ĐỀ NGHỊ TRỢ GIÚP XÃ HỘI', 'BIÊN BẢN HỌP HỘI ĐỒNG XÉT DUYỆT'],
    result: 'QUYẾT ĐỊNH TRỢ CẤP XÃ HỘI HẰNG THÁNG',
  },
];

export interface BenchAgency {
  code: string;
  name: string;
  level: 'province' | 'commune';
}

const DEPARTMENTS = [
  'Sở Nông nghiệp và Môi trường',
  'Sở Tư pháp',
  'Sở Xây dựng',
  'Sở Tài chính',
  'Sở Y tế',
  'Sở Nội vụ',
  'Sở Công Thương',
  'Văn phòng Đăng ký đất đai',
];

export const WARDS = [
  'Hải Châu',
  'Thạch Thang',
  'Thanh Khê',
  'An Khê',
  'Hòa Khánh',
  'Hòa Minh',
  'Sơn Trà',
  'An Hải',
  'Mỹ An',
  'Ngũ Hành Sơn',
  'Hòa Xuân',
  'Cẩm Lệ',
  'Liên Chiểu',
  'Hòa Cường',
  'Khuê Trung',
  'Hải Vân',
  'Bà Nà',
  'Hòa Vang',
  'Hòa Tiến',
  'Hòa Tiến Đông',
  'Đông Hà',
  'Tam Kỳ',
  'Hội An',
  'Điện Bàn',
  'Thăng Bình',
  'Núi Thành',
  'Phước Năng',
  'Trà My',
  'Hoàng Sa',
  'Thanh Bình',
  'Phước Mỹ',
  'Nại Hiên Đông',
];

/** Province departments (000.00.NN.H17) and commune People's Committees (000.NN.30.H17). */
export const AGENCIES: BenchAgency[] = [
  ...DEPARTMENTS.map((name, i) => ({ code: `000.00.${String(11 + i)}.H17`, name, level: 'province' as const })),
  ...WARDS.map((ward, i) => ({
    code: `000.${String(20 + i)}.30.H17`,
    name: `Ủy ban nhân dân ${i % 3 === 2 ? 'xã' : i === 28 ? 'đặc khu' : 'phường'} ${ward}`,
    level: 'commune' as const,
  })),
];

export const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
export const MIDDLE_NAMES = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Xuân', 'Thu', 'Kim', 'Công'];
export const GIVEN_NAMES = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Đạt',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Ngân',
  'Nhung',
  'Phong',
  'Phúc',
  'Phương',
  'Quang',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Thủy',
  'Tiến',
  'Trang',
  'Trinh',
  'Trung',
  'Tuấn',
  'Tú',
  'Uyên',
  'Việt',
  'Vinh',
  'Yến',
  'Hằng',
  'Hiền',
  'Đông',
  'Khoa',
  'Lâm',
  'Nhân',
  'Oanh',
  'Quyên',
  'Thư',
  'Duy',
  'Bảo',
  'Châu',
  'Đăng',
  'Hậu',
  'Kiên',
  'Lộc',
];

export const STREETS = [
  'Lê Lợi',
  'Trần Phú',
  'Hùng Vương',
  'Nguyễn Văn Linh',
  'Bạch Đằng',
  'Điện Biên Phủ',
  'Ông Ích Khiêm',
  'Phan Châu Trinh',
  'Lê Duẩn',
  'Hoàng Diệu',
  'Tôn Đức Thắng',
  'Ngô Quyền',
  'Nguyễn Tất Thành',
  'Võ Nguyên Giáp',
  'Hàm Nghi',
  'Quang Trung',
  'Lý Thường Kiệt',
  'Trưng Nữ Vương',
  'Hoàng Hoa Thám',
  'Núi Thành',
  'Nguyễn Hữu Thọ',
  'Phạm Văn Đồng',
  'Đống Đa',
  'Thái Phiên',
];

/** Body sentences; one page draws a few of them. */
export const SENTENCES = [
  'Tôi xin cam đoan những nội dung kê khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật.',
  'Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định.',
  'Hồ sơ gồm có các giấy tờ sau đây, đã được kiểm tra đầy đủ thành phần.',
  'Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024.',
  'Căn cứ Nghị định số 101/2024/NĐ-CP của Chính phủ quy định về điều tra cơ bản đất đai, đăng ký, cấp giấy chứng nhận.',
  'Căn cứ Luật Hộ tịch năm 2014 và Nghị định số 123/2015/NĐ-CP.',
  'Xét đề nghị của Trưởng phòng Kinh tế, Hạ tầng và Đô thị.',
  'Nguồn gốc sử dụng đất: Nhà nước giao đất có thu tiền sử dụng đất.',
  'Mục đích sử dụng: đất ở tại đô thị; thời hạn sử dụng lâu dài.',
  'Tài sản gắn liền với đất: nhà ở riêng lẻ, kết cấu bê tông cốt thép, ba tầng.',
  'Người nhận hồ sơ đã hướng dẫn công dân bổ sung giấy tờ còn thiếu.',
  'Phí, lệ phí đã nộp đầy đủ theo quy định của Hội đồng nhân dân thành phố.',
  'Quyết định này có hiệu lực kể từ ngày ký.',
  'Chánh Văn phòng, Trưởng phòng và các cá nhân có liên quan chịu trách nhiệm thi hành quyết định này.',
  'Thời hạn giải quyết không quá mười lăm ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.',
  'Ranh giới thửa đất không có tranh chấp, khiếu nại với các hộ liền kề.',
  'Việc chuyển nhượng được thực hiện theo hợp đồng đã được công chứng tại Văn phòng công chứng.',
  'Hai bên cam kết thực hiện đúng các điều khoản đã thỏa thuận trong hợp đồng.',
  'Đương sự đã nộp bản sao có chứng thực căn cước công dân và sổ hộ khẩu.',
  'Cán bộ tư pháp hộ tịch đã kiểm tra, đối chiếu với bản chính.',
  'Trẻ được khai sinh tại Bệnh viện Phụ sản Nhi thành phố Đà Nẵng.',
  'Hai bên nam, nữ tự nguyện kết hôn, không vi phạm điều cấm của Luật Hôn nhân và gia đình.',
  'Công trình xây dựng phù hợp với quy hoạch chi tiết tỷ lệ 1/500 đã được phê duyệt.',
  'Chủ đầu tư có trách nhiệm thông báo ngày khởi công cho Ủy ban nhân dân phường.',
  'Cơ sở đã đáp ứng đủ điều kiện về an toàn thực phẩm theo quy định.',
  'Hộ kinh doanh có trách nhiệm thực hiện nghĩa vụ thuế với Nhà nước.',
  'Đối tượng thuộc diện hưởng trợ cấp xã hội hằng tháng theo Nghị định số 20/2021/NĐ-CP.',
  'Trường hợp không giải quyết thì phải trả lời bằng văn bản và nêu rõ lý do.',
  'Nơi nhận: như Điều 3; Lưu: VT, bộ phận một cửa.',
  'Biên bản được lập thành hai bản có giá trị pháp lý như nhau, mỗi bên giữ một bản.',
];

/** Common OCR confusions on Vietnamese scans, applied to a few pages of the corpus. */
export const OCR_NOISE: [from: string, to: string][] = [
  ['Nguyễn', 'Nguyẽn'],
  ['quyền', 'quyên'],
  ['chứng nhận', 'chúng nhận'],
  ['đất', 'dất'],
  ['Giấy', 'Giây'],
  ['thường trú', 'thuờng trú'],
];
