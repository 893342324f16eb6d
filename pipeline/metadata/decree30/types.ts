/**
 * The document types a Decree 30 page's title names — Decree 30/2020/NĐ-CP art. 7's types with the abbreviation its appendix III sets for the notation
 * ("QĐ-UBND"), and the legal texts a one-stop shop also files. An official letter's notation has
 * none (the agency's and the drafting unit's: "UBND-KTTH").
 */
// biome-ignore format: a list reads better in rows
export const DOCUMENT_TYPES: [string, string | null][] = [
  ['Nghị quyết', 'NQ'], ['Quyết định', 'QĐ'], ['Chỉ thị', 'CT'], ['Quy chế', 'QC'], ['Quy định', 'QyĐ'],
  ['Thông cáo', 'TC'], ['Thông báo', 'TB'], ['Hướng dẫn', 'HD'], ['Chương trình', 'CTr'], ['Kế hoạch', 'KH'],
  ['Phương án', 'PA'], ['Đề án', 'ĐA'], ['Dự án', 'DA'], ['Báo cáo', 'BC'], ['Biên bản', 'BB'], ['Tờ trình', 'TTr'],
  ['Hợp đồng', 'HĐ'], ['Công văn', null], ['Công điện', 'CĐ'], ['Bản ghi nhớ', 'BGN'], ['Bản thỏa thuận', 'BTT'],
  ['Giấy ủy quyền', 'GUQ'], ['Giấy mời', 'GM'], ['Giấy giới thiệu', 'GGT'], ['Giấy nghỉ phép', 'GNP'],
  ['Phiếu gửi', 'PG'], ['Phiếu chuyển', 'PC'], ['Phiếu báo', 'PB'], ['Thư công', null], ['Nghị định', 'NĐ'],
  ['Thông tư', 'TT'], ['Luật', null],
];

/** A type's abbreviation in the notation. */
export const TYPE_ABBREVIATION = new Map(DOCUMENT_TYPES);
