/** Circular 05/2025 metadata as a station sends it, for the metadata, CLI and API tests. */

/** What a station sends for a Quảng Ngãi official letter (../shared/corpus/real-vn, qngai 575). */
export const STATION_METADATA = {
  dossier: {
    title: 'Hồ sơ cấp giấy chứng nhận quyền sử dụng đất, thửa 112 tờ bản đồ 7',
    maintenance: '20',
    mode: '02',
    language: 'vi',
    startDate: '2025-02-01',
    endDate: '2025-02-28',
    keyword: ['đất đai', 'giấy chứng nhận'],
    numberOfPaper: 3,
    format: 'Bình thường',
    inforSign: 'HS-DD',
    paperFileCode: 'DD-2025-0112',
    riskRecovery: 1,
    riskRecoveryStatus: 'Đã sao lưu',
    description: 'Hồ sơ thử nghiệm',
  },
  document: {
    typeName: 'Công văn',
    codeNumber: '575',
    codeNotation: 'UBND-KTTH',
    issuedDate: '2025-02-04',
    organName: 'Ủy ban nhân dân tỉnh Quảng Ngãi',
    subject: 'V/v triển khai thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
    mode: '01',
    maintenance: 'Vĩnh viễn',
    autograph: 'Chữ ký của Chủ tịch',
    process: 'Tiếp nhận, xử lý, trả kết quả',
  },
};
