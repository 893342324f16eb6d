/**
 * A small catalog of one-stop-shop dossiers for search tests, with the faults of real OCR: a page
 * without any diacritics, wrong tone marks ("Nguyẽn"), wrong letters ("Nguven", "nbận"), a phrase
 * broken over two lines, a failed page; and the query set archivists would type, with the dossiers
 * each query must find in its first ten hits.
 */

import type { SearchRequest } from '../../storage/catalog/index.js';
import type { DossierSpec } from './catalog-fixtures.js';

const HEADER = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc';

export const D = {
  landAn: '000.00.15.H17-240105-0001',
  landBinhNoAccents: '000.00.15.H17-240212-0001',
  transferDuc: '000.00.15.H17-240318-0002',
  birthKhoi: '000.21.30.H17-240110-0001',
  marriage: '000.21.30.H17-240415-0003',
  copyHung: '000.22.30.H17-240520-0001',
  buildingStone: '000.22.30.H17-240603-0002',
  buildingAlready: '000.22.30.H17-240611-0001',
  landHoaMisread: '000.00.15.H17-240702-0001',
  purposeChange: '000.00.15.H17-240815-0001',
  residenceChau: '000.21.30.H17-240905-0001',
  allowanceLoc: '000.21.30.H17-241001-0002',
  landLanFailedPage: '000.00.15.H17-241120-0003',
  householdBusiness: '000.22.30.H17-241203-0001',
  birthHan2023: '000.21.30.H17-230320-0001',
  landAn2023: '000.00.15.H17-230915-0004',
  copyCertificate: '000.22.30.H17-240125-0001',
} as const;

export const SEARCH_CORPUS: DossierSpec[] = [
  {
    code: D.landAn,
    procedureCode: '1.004227',
    documents: [
      {
        kind: 'component',
        pages: [
          `${HEADER}\nĐƠN ĐĂNG KÝ, CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nKính gửi: Văn phòng Đăng ký đất đai\nHọ và tên: Nguyễn Văn An, sinh năm 1975\nSố định danh cá nhân: 048075001234\nĐịa chỉ: số 12 đường Lê Lợi, phường Hải Châu, thành phố Đà Nẵng`,
          'Thửa đất số 245, tờ bản đồ số 17, diện tích 120 m2.\nNguồn gốc sử dụng đất: Nhà nước giao đất có thu tiền sử dụng đất.\nMục đích sử dụng: đất ở tại đô thị.',
        ],
      },
      {
        kind: 'result',
        pages: [
          'GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT\nNgười sử dụng đất: ông Nguyễn Văn An',
        ],
      },
    ],
  },
  {
    code: D.landBinhNoAccents,
    procedureCode: '1.004227',
    documents: [
      {
        kind: 'component',
        pages: [
          'CONG HOA XA HOI CHU NGHIA VIET NAM\nDON DANG KY CAP GIAY CHUNG NHAN QUYEN SU DUNG DAT\nHo va ten: Tran Thi Binh\nThua dat so 88, to ban do so 5',
        ],
      },
    ],
  },
  {
    code: D.transferDuc,
    procedureCode: '1.003003',
    documents: [
      {
        kind: 'component',
        pages: [
          `${HEADER}\nHỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT\nBên chuyển nhượng: ông Lê Hoàng Đức\nBên nhận chuyển nhượng: bà Phạm Thị Mai\nCăn cứ Nghị định số 101/2024/NĐ-CP của Chính phủ.`,
        ],
      },
    ],
  },
  {
    code: D.birthKhoi,
    procedureCode: '1.001193',
    documents: [
      {
        kind: 'component',
        pages: [
          `${HEADER}\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên: PHẠM MINH KHÔI\nNgày, tháng, năm sinh: 02/01/2024\nNơi sinh: Bệnh viện Phụ sản Nhi Đà Nẵng\nHọ tên mẹ: Võ Thị Hồng Nhung`,
        ],
      },
      { kind: 'result', pages: ['GIẤY KHAI SINH\nHọ, chữ đệm, tên: Phạm Minh Khôi'] },
    ],
  },
  {
    code: D.marriage,
    procedureCode: '1.000894',
    documents: [
      {
        kind: 'component',
        pages: [`${HEADER}\nTỜ KHAI ĐĂNG KÝ KẾT HÔN\nBên nam: Hồ Quang Vinh\nBên nữ: Đặng Thu Hà\nHai bên nam, nữ tự nguyện kết hôn.`],
      },
    ],
  },
  {
    code: D.copyHung,
    procedureCode: '2.000815',
    documents: [
      {
        kind: 'component',
        pages: ['PHIẾU YÊU CẦU CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH\nNgười yêu cầu: Nguyẽn Văn Hùng\nGiấy tờ: căn cước công dân'],
      },
    ],
  },
  {
    code: D.buildingStone,
    procedureCode: '1.009994',
    documents: [
      {
        kind: 'component',
        pages: [
          'ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\nChủ đầu tư: Bùi Thanh Tùng\nĐịa điểm xây dựng: số 45 đường Trần Phú\nVật liệu: đá, cát, xi măng',
        ],
      },
    ],
  },
  {
    code: D.buildingAlready,
    procedureCode: '1.009994',
    documents: [{ kind: 'component', pages: ['BIÊN BẢN KIỂM TRA\nCông trình đã được phê duyệt. Hồ sơ đã đầy đủ, đã nộp lệ phí.'] }],
  },
  {
    code: D.landHoaMisread,
    procedureCode: '1.004227',
    documents: [
      { kind: 'result', pages: ['GIÁY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\ncấp cho bà Nguven Thị Hoa, thường trú tại phường Thạch Thang'] },
    ],
  },
  {
    code: D.purposeChange,
    procedureCode: '1.001990',
    documents: [
      {
        kind: 'result',
        pages: ['QUYẾT ĐỊNH CHO PHÉP CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT\nỦy ban nhân dân thành phố Đà Nẵng quyết định cho phép chuyển mục đích.'],
      },
    ],
  },
  {
    code: D.residenceChau,
    procedureCode: '1.004194',
    documents: [
      {
        kind: 'component',
        pages: ['TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\nĐăng ký thường trú tại: tổ 5, phường Hải Châu\nHọ và tên: Ngô Bảo Châu'],
      },
    ],
  },
  {
    code: D.allowanceLoc,
    procedureCode: '1.005461',
    documents: [
      { kind: 'component', pages: ['TỜ KHAI ĐỀ NGHỊ TRỢ GIÚP XÃ HỘI\nĐối tượng: người cao tuổi\nHọ và tên: Dương Văn Lộc, sinh năm 1940'] },
    ],
  },
  {
    code: D.landLanFailedPage,
    procedureCode: '1.004227',
    documents: [
      {
        kind: 'component',
        pages: [
          'ĐƠN ĐĂNG KÝ, CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nHọ và tên: Hoàng Thị Lan',
          null,
          'SƠ ĐỒ THỬA ĐẤT\nThửa đất số 777, tờ bản đồ số 9\nRanh giới thửa đất không có tranh chấp.',
        ],
      },
    ],
  },
  {
    code: D.householdBusiness,
    procedureCode: '2.000575',
    documents: [
      {
        kind: 'component',
        pages: ['GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH\nTên hộ kinh doanh: Quán cà phê Biển Xanh\nNgành, nghề kinh doanh: dịch vụ ăn uống'],
      },
    ],
  },
  {
    code: D.birthHan2023,
    procedureCode: '1.001193',
    documents: [
      { kind: 'component', pages: ['TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên: Lý Gia Hân\nNơi sinh: Trạm Y tế phường Hải Châu'] },
    ],
  },
  {
    code: D.landAn2023,
    procedureCode: '1.004227',
    documents: [{ kind: 'component', pages: ['ĐƠN ĐỀ NGHỊ\nHọ và tên người sử dụng đất: Nguyễn Văn An\nThửa đất số 31, tờ bản đồ số 2'] }],
  },
  {
    code: D.copyCertificate,
    procedureCode: '2.000815',
    documents: [
      { kind: 'component', pages: ['BẢN SAO\nGiấy chứng\nnbận quyền sử dụng đất số CS 04512\nđã được chứng thực từ bản chính.'] },
    ],
  },
];

export interface QualityCase {
  request: SearchRequest;
  /** Every one of these dossiers must be among the first ten hits. */
  expected: string[];
}

const q = (query: string, expected: string[], filters: Omit<SearchRequest, 'query'> = {}): QualityCase => ({
  request: { query, ...filters },
  expected,
});

/** No diacritics, mixed, phrases, prefixes, typos and OCR misspellings, filters. */
export const QUALITY_SET: QualityCase[] = [
  q('Nguyễn Văn An', [D.landAn, D.landAn2023]),
  q('nguyen van an', [D.landAn, D.landAn2023]),
  q('NGUYỄN VĂN AN', [D.landAn, D.landAn2023]),
  q('giấy chứng nhận quyền sử dụng đất', [D.landAn, D.landBinhNoAccents, D.landHoaMisread, D.landLanFailedPage]),
  q('giay chung nhan quyen su dung dat', [D.landAn, D.landBinhNoAccents, D.landHoaMisread, D.landLanFailedPage]),
  q('"giấy chứng nhận quyền sử dụng đất"', [D.landAn, D.landBinhNoAccents, D.landHoaMisread, D.landLanFailedPage]),
  q('Trần Thị Bình', [D.landBinhNoAccents]),
  q('thửa đất số 245', [D.landAn]),
  q('"thửa đất số 777"', [D.landLanFailedPage]),
  q('048075001234', [D.landAn]),
  q('101/2024/NĐ-CP', [D.transferDuc]),
  q('nghi dinh 101', [D.transferDuc]),
  q('Lê Hoàng Đức', [D.transferDuc]),
  q('le hoang duc', [D.transferDuc]),
  q('Phạm Minh Khôi', [D.birthKhoi]),
  q('khai sinh', [D.birthKhoi, D.birthHan2023]),
  q('khai sinh', [D.birthKhoi], { from: '2024-01-01' }),
  q('khai sinh', [D.birthKhoi, D.birthHan2023], { procedure: '1.001193', agency: '000.21.30.H17' }),
  q('kết hôn', [D.marriage]),
  q('ket hon Đặng Thu Ha', [D.marriage]),
  q('Đặng Thu Hà', [D.marriage]),
  q('Nguyễn Văn Hùng', [D.copyHung]),
  q('Nguyễn Thị Hoa', [D.landHoaMisread]),
  q('quyết*', [D.purposeChange]),
  q('chuyen muc dich', [D.purposeChange]),
  q('thường trú', [D.residenceChau, D.landHoaMisread]),
  q('thuong tru Hai Chau', [D.residenceChau]),
  q('Ngô Bảo Châu', [D.residenceChau]),
  q('người cao tuổi', [D.allowanceLoc]),
  q('Dương Văn Lộc 1940', [D.allowanceLoc]),
  q('hộ kinh doanh', [D.householdBusiness]),
  q('cà phê Biển Xanh', [D.householdBusiness]),
  q('"dịch vụ ăn uống"', [D.householdBusiness]),
  q('Lý Gia Hân', [D.birthHan2023]),
  q('xây dựng Trần Phú', [D.buildingStone]),
  q('đá', [D.buildingStone]),
  q('"kết hôn" OR "khai sinh"', [D.marriage, D.birthKhoi, D.birthHan2023]),
  q('Bùi Thanh Tùng Biển Xanh', [D.buildingStone, D.householdBusiness], { mode: 'any' }),
  q('Tùng OR Hùng OR Khôi', [D.buildingStone, D.copyHung, D.birthKhoi]),
  q('"giấy chứng nhận" CS 04512', [D.copyCertificate]),
  q('Nguyễn Văn An', [D.landAn], { dossier: '000.00.15.H17-2401*' }),
  q('Nguyễn Văn An', [D.landAn2023], { to: '2023-12-31' }),
  q('đăng ký', [D.landAn], { procedure: '1.004227', from: '2024-01-01', to: '2024-01-31' }),
  q('Ngu*', [D.landAn], { agency: '000.00.15.H17', dossier: D.landAn }),
];
