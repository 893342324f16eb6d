/**
 * The Decree 30 fields of the real documents in ../shared/corpus, written by hand from the pages
 * (the numbers and days filled in by hand on them included: Sohoa may leave those unread, never
 * read them wrong). A real-vn page is one page of its document: the first page has no signer, the
 * continuation page no header.
 */
import type { Decree30Truth } from './decree30-pages.js';

const QUANG_NGAI = { organName: 'Ủy ban nhân dân tỉnh Quảng Ngãi', place: 'Quảng Ngãi' };

const DOCUMENT_575: Decree30Truth = {
  ...QUANG_NGAI,
  codeNumber: '575',
  codeNotation: 'UBND-KTTH',
  issuedDate: '2025-02-04',
  typeName: 'Công văn',
  subject: 'V/v tham gia ý kiến các dự thảo Nghị định của Chính phủ',
  recipients: ['Sở Tài chính'],
  signerPosition: 'TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG',
  signerName: 'Hà Thị Lê Vân',
};

const DOCUMENT_299: Decree30Truth = {
  ...QUANG_NGAI,
  codeNumber: '299',
  codeNotation: 'UBND-TTHC',
  issuedDate: '2025-01-15',
  typeName: 'Công văn',
  subject: 'V/v công bố Danh mục TTHC và xây dựng quy trình nội bộ giải quyết TTHC',
  recipients: ['Sở Giao thông vận tải', 'Sở Nông nghiệp và Phát triển nông thôn'],
  signerPosition: 'TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG',
  signerName: 'Nguyễn Quốc Việt',
};

const FIRST_PAGE_07: Decree30Truth = {
  ...QUANG_NGAI,
  codeNumber: '07',
  codeNotation: 'CT-UBND',
  issuedDate: '2018-03-20',
  typeName: 'Chỉ thị',
  subject: 'Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi',
};

const SIGNER_23 = { signerPosition: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', signerName: 'Trần Hoàng Tuấn' };

/** By path under ../shared/corpus: a page image (one page of its document) or a whole PDF. */
export const REAL_DOCUMENTS: Record<string, Decree30Truth> = {
  'real-vn/qngai_575-UBND-KTTH_2025_p1.jpg': DOCUMENT_575,
  'real-vn/qngai_299-UBND-TTHC_2025_p1.jpg': DOCUMENT_299,
  'real-vn/qngai_07-CT-UBND_2018_p1.png': FIRST_PAGE_07,
  'real-vn/qngai_23-BC-UBND_2025_p2.jpg': SIGNER_23,
  'real-nogt/qngai_575-UBND-KTTH_2025_1p_color_signed.pdf': DOCUMENT_575,
  'real-nogt/qngai_299-UBND-TTHC_2025_2p_color_signed.pdf': DOCUMENT_299,
  'real-nogt/qngai_07-CT-UBND_2018_4p_bilevel_signed.pdf': {
    ...FIRST_PAGE_07,
    signerPosition: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH',
    signerName: 'Phạm Trường Thọ',
  },
  'real-nogt/qngai_08-CT-UBND_2018_3p_bilevel_signed.pdf': {
    ...QUANG_NGAI,
    codeNumber: '08',
    codeNotation: 'CT-UBND',
    issuedDate: '2018-04-03',
    typeName: 'Chỉ thị',
    subject:
      'Về việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư thực hiện dự án sử dụng vốn ngoài ngân sách nhà nước tại tỉnh Quảng Ngãi',
    // The seal covers the position but for "…HỦ TỊCH".
    signerPosition: 'CHỦ TỊCH',
    signerName: 'Trần Ngọc Căng',
  },
  'real-nogt/qngai_16-CT-UBND_10p_mixed_signed.pdf': {
    ...QUANG_NGAI,
    codeNumber: '16',
    codeNotation: 'CT-UBND',
    issuedDate: '2021-12-27',
    typeName: 'Chỉ thị',
    subject: 'Về việc tăng cường các biện pháp bảo đảm đón Tết Nguyên đán Nhâm Dần-năm 2022 đầm ấm, an toàn và tiết kiệm trên địa bàn tỉnh',
    signerPosition: 'CHỦ TỊCH',
    signerName: 'Đặng Văn Minh',
  },
  'real-nogt/qngai_23-BC-UBND_2025_2p_color_signed.pdf': {
    ...QUANG_NGAI,
    codeNumber: '23',
    codeNotation: 'BC-UBND',
    issuedDate: '2025-01-23',
    typeName: 'Báo cáo',
    subject: 'Tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 01/2025 của tỉnh Quảng Ngãi',
    recipients: ['Văn phòng Chính phủ', 'Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách thủ tục hành chính của Thủ tướng Chính phủ'],
    ...SIGNER_23,
  },
};
