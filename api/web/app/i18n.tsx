/**
 * Vietnamese first, English on request, in the words one-stop-shop staff use (../shared/UI-GLOSSARY.md);
 * numbers and dates in the chosen language's own way (55,69% and 04/02/2025 in Vietnamese), times
 * in Vietnam time.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'vi' | 'en';

const MESSAGES = {
  appName: ['Số hóa hồ sơ', 'Dossier digitization'],
  skipToContent: ['Bỏ qua đến nội dung', 'Skip to content'],
  language: ['English', 'Tiếng Việt'],
  signIn: ['Đăng nhập', 'Sign in'],
  signOut: ['Đăng xuất', 'Sign out'],
  account: ['Tài khoản', 'Account'],
  changePassword: ['Đổi mật khẩu', 'Change password'],
  currentPassword: ['Mật khẩu hiện tại', 'Current password'],
  newPassword: ['Mật khẩu mới (ít nhất 10 ký tự)', 'New password (at least 10 characters)'],
  repeatPassword: ['Nhập lại mật khẩu mới', 'The new password again'],
  passwordsDiffer: ['Hai lần nhập mật khẩu mới không khớp.', 'The two new passwords differ.'],
  passwordChanged: ['Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.', 'Password changed. Your other sessions have ended.'],
  userName: ['Tên đăng nhập', 'User name'],
  password: ['Mật khẩu', 'Password'],
  signInFailed: ['Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.', 'Wrong user name or password, or the account is disabled.'],
  tooManyTries: ['Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau một phút.', 'Too many tries. Please try again in a minute.'],
  navStation: ['Tải lên hồ sơ', 'Upload dossiers'],
  navSearch: ['Tìm kiếm', 'Search'],
  navReform: ['Tổng quan', 'Dashboard'],
  navAdmin: ['Quản trị', 'Administration'],
  roleStation: ['Điểm quét', 'Scanning station'],
  roleArchivist: ['Cán bộ lưu trữ', 'Archivist'],
  roleReform: ['Bộ phận cải cách hành chính', 'Reform office'],
  roleAdmin: ['Quản trị viên', 'Administrator'],
  loading: ['Đang tải…', 'Loading…'],
  error: ['Lỗi', 'Error'],
  forbidden: ['Vai trò của bạn không được xem trang này.', 'Your role may not see this page.'],
  notFound: ['Không tìm thấy trang.', 'Page not found.'],
  // Station
  uploadTitle: ['Tải lên hồ sơ đã quét', 'Upload scanned dossiers'],
  dossierCode: ['Mã hồ sơ', 'Dossier code'],
  dossierCodeHint: [
    'Nhập hoặc quét mã QR trên tờ bìa, ví dụ 000.00.15.H17-231114-0001',
    'Type it or scan the cover sheet QR code, e.g. 000.00.15.H17-231114-0001',
  ],
  kind: ['Loại', 'Kind'],
  component: ['Thành phần hồ sơ', 'Component'],
  result: ['Kết quả giải quyết', 'Result'],
  anyKind: ['Tất cả', 'All'],
  procedureCode: ['Mã thủ tục', 'Procedure code'],
  title: ['Tên tài liệu', 'Title'],
  metadataTitle: ['Thông tin mô tả (siêu dữ liệu)', 'Metadata'],
  metadataHint: [
    'Không bắt buộc. Số trang, mã định danh, ngôn ngữ và mức độ tin cậy do hệ thống tự xác định.',
    'Optional. Page count, identifiers, language and confidence level are worked out by the system.',
  ],
  metaTypeName: ['Tên loại văn bản', 'Document type'],
  metaCodeNumber: ['Số', 'Number'],
  metaCodeNotation: ['Ký hiệu', 'Notation'],
  metaIssuedDate: ['Ngày ban hành', 'Issued on'],
  metaOrganName: ['Cơ quan ban hành', 'Issuing agency'],
  metaSubject: ['Trích yếu nội dung', 'Subject'],
  metaMode: ['Chế độ sử dụng', 'Access mode'],
  modePublic: ['Công khai', 'Public'],
  modeConditional: ['Sử dụng có điều kiện', 'Conditional'],
  modeSecret: ['Mật', 'Secret'],
  metaMaintenance: ['Thời hạn bảo quản', 'Retention'],
  metaComponent: ['Mã thành phần hồ sơ', 'Component code'],
  metaDossierTitle: ['Tiêu đề hồ sơ', 'Dossier title'],
  readTitle: ['Thông tin đọc từ văn bản', 'Read from the document'],
  readHint: [
    'Hệ thống đọc các thông tin này từ trang đầu và trang ký của văn bản. Mục chưa chắc chắn cần cán bộ đối chiếu với ảnh và xác nhận.',
    "Sohoa read these from the document's first page and signature page. Check the ones it was unsure of against the page image and confirm them.",
  ],
  readToConfirmCount: ['{n} mục cần xác nhận', '{n} to confirm'],
  readField: ['Thông tin', 'Field'],
  readValue: ['Giá trị', 'Value'],
  readParentOrgan: ['Cơ quan chủ quản', 'Parent body'],
  readPlace: ['Địa danh', 'Place'],
  readRecipients: ['Kính gửi', 'Addressed to'],
  readSignerPosition: ['Chức vụ người ký', "Signer's position"],
  readSignerName: ['Người ký', 'Signed by'],
  readFilled: ['Đã điền tự động', 'Filled in'],
  readToConfirm: ['Cần xác nhận', 'To confirm'],
  readGiven: ['Cán bộ đã nhập', 'Entered by staff'],
  readKept: ['Đọc được', 'Read'],
  readConfirm: ['Xác nhận', 'Confirm'],
  readCropOf: ['Vùng ảnh đọc {field}', 'Where {field} was read'],
  readWasRead: ['Hệ thống đọc được', 'Read as'],
  readDatePart: [
    'Ngày hoặc tháng viết tay chưa đọc được: cán bộ nhập theo ảnh.',
    'A hand-written day or month was not read: enter it from the image.',
  ],
  files: ['Tệp quét', 'Scanned files'],
  dropFiles: ['Kéo thả tệp vào đây, hoặc bấm để chọn (JPEG, PNG, TIFF, PDF)', 'Drop files here, or click to choose (JPEG, PNG, TIFF, PDF)'],
  remove: ['Bỏ', 'Remove'],
  upload: ['Tải lên', 'Upload'],
  uploading: ['Đang tải lên', 'Uploading'],
  chooseFiles: ['Chọn ít nhất một tệp.', 'Choose at least one file.'],
  sessionUploads: ['Lượt tải lên trong phiên', 'Uploads this session'],
  recentUploads: ['Hồ sơ đã số hóa gần đây', 'Recently digitized'],
  noUploadsYet: ['Chưa có tài liệu nào được số hóa.', 'No document digitized yet.'],
  chooseFilesButton: ['Chọn tệp', 'Choose files'],
  alreadyDigitized: ['Các tệp này đã được số hóa trước đó.', 'These files were digitized before.'],
  progressUnavailable: ['Tạm thời chưa xem được tiến độ; đang thử lại…', 'Progress is unavailable for a moment; retrying…'],
  page: ['Trang', 'Page'],
  pages: ['Số trang', 'Pages'],
  file: ['Tệp', 'File'],
  state: ['Trạng thái', 'State'],
  stateQueued: ['Chờ xử lý', 'Queued'],
  stateCleanup: ['Đang xử lý ảnh', 'Cleaning up'],
  stateOcr: ['Đang nhận dạng ký tự (OCR)', 'OCR'],
  stateRead: ['Đã nhận dạng', 'Read'],
  statePackaged: ['Hoàn thành', 'Done'],
  stateFailed: ['Lỗi', 'Failed'],
  stateProcessing: ['Đang xử lý', 'Processing'],
  stateCompleted: ['Hoàn thành', 'Completed'],
  blankPage: ['Trang trắng — không đưa vào PDF/A', 'Blank page — left out of the PDF/A'],
  lowResolution: ['{dpi} dpi — dưới 200 dpi, cần quét lại', '{dpi} dpi — under 200 dpi, rescan it'],
  lowResolutionPages: [
    '{n} trang có độ phân giải dưới 200 dpi (mức tối thiểu theo quy định): cần quét lại.',
    '{n} {n:page is|pages are} under 200 dpi (the minimum the regulation asks): rescan {n:it|them}.',
  ],
  blankPages: [
    '{n} trang trắng được giữ cùng bản gốc, không đưa vào PDF/A.',
    '{n} blank {n:page is|pages are} kept with the originals, left out of the PDF/A.',
  ],
  pagesCount: ['{n} trang', '{n} {n:page|pages}'],
  retryFailed: ['Thử lại trang lỗi', 'Retry failed pages'],
  retryQueued: ['Đã gửi lại {n} trang lỗi để xử lý.', '{n} failed {n:page|pages} sent through again.'],
  retryFailedError: ['Không thử lại được', 'Could not retry'],
  uploadFailed: ['Không tải lên được', 'Upload failed'],
  networkError: [
    'Mất kết nối tới máy chủ. Bấm tải lên lại: tệp sẽ không bị tạo hai lần.',
    'The server could not be reached. Upload again: nothing will be made twice.',
  ],
  // Station: cover sheets and stacks
  coverSheetTitle: ['Tờ bìa (mã QR)', 'Cover sheet (QR)'],
  coverSheetHint: [
    'In tờ bìa, đặt lên đầu mỗi tài liệu rồi quét cả tập một lần: mã QR cho biết trang nào thuộc hồ sơ nào.',
    'Print a cover sheet, put it on top of each document, then scan the whole stack at once: its QR code tells which pages belong to which dossier.',
  ],
  printCoverSheet: ['Mở tờ bìa để in', 'Open the cover sheet to print'],
  coverSheetOpens: ['Tệp PDF khổ A4, mở trong thẻ mới.', 'An A4 PDF, opens in a new tab.'],
  coverSheetFillCode: ['Nhập mã hồ sơ đầy đủ để in tờ bìa.', 'Type the whole dossier code to print its cover sheet.'],
  otherAgency: ['Hồ sơ này không thuộc cơ quan {agency}.', 'This dossier is not one of {agency}.'],
  uploadWhat: ['Nội dung tải lên', 'What you upload'],
  modeSingle: ['Một tài liệu của một hồ sơ', 'One document of one dossier'],
  modeStack: ['Tập hồ sơ có tờ bìa', 'A stack with cover sheets'],
  stackHint: [
    'Mỗi tờ bìa bắt đầu một tài liệu của hồ sơ in trên tờ bìa; tờ bìa không đưa vào PDF/A.',
    'Each cover sheet starts a document of the dossier printed on it; cover sheets are left out of the PDF/A.',
  ],
  stackFallback: ['Các trang trước tờ bìa đầu tiên thuộc hồ sơ', 'Pages before the first cover sheet go to'],
  stackFallbackHint: [
    'Không bắt buộc: để trống nếu tập bắt đầu bằng tờ bìa.',
    'Optional: leave it empty when the stack starts with a cover sheet.',
  ],
  stackTitle: [
    'Tập hồ sơ: {documents} tài liệu, {sheets} tờ bìa',
    'Stack: {documents} {documents:document|documents}, {sheets} cover {sheets:sheet|sheets}',
  ],
  alreadySubmitted: [
    'Tập này đã được tải lên trước đó: không tạo thêm tài liệu nào.',
    'This stack was uploaded before: no document was added.',
  ],
  sheetsFound: ['Tờ bìa tìm thấy', 'Cover sheets found'],
  noSheets: [
    'Không tìm thấy tờ bìa nào: mọi trang thuộc hồ sơ đã nhập.',
    'No cover sheet found: every page went to the dossier you named.',
  ],
  sheetMadeDocument: ['Tạo tài liệu {fileCode}', 'Made document {fileCode}'],
  beforeFirstSheet: ['Các trang trước tờ bìa đầu tiên', 'Pages before the first cover sheet'],
  emptySheet: [
    'Tờ bìa trống — không có trang nào theo sau, không tạo tài liệu',
    'Empty cover sheet — no page followed it, no document made',
  ],
  documentsMade: ['Tài liệu đã tạo', 'Documents made'],
  openPdf: ['Mở PDF/A', 'Open PDF/A'],
  failedPages: ['Trang lỗi', 'Failed pages'],
  submittedBy: ['Người tải lên', 'Uploaded by'],
  completedAt: ['Hoàn thành lúc', 'Completed at'],
  // Search
  searchTitle: ['Tìm kiếm hồ sơ số hóa', 'Search digitized dossiers'],
  searchPlaceholder: [
    'Từ khóa, có dấu hoặc không dấu (ví dụ: quyen su dung dat)',
    'Words, with or without diacritics (e.g. quyen su dung dat)',
  ],
  search: ['Tìm kiếm', 'Search'],
  filters: ['Bộ lọc', 'Filters'],
  agencyCode: ['Mã cơ quan', 'Agency code'],
  receivedFrom: ['Tiếp nhận từ ngày', 'Received from'],
  receivedTo: ['đến ngày', 'to'],
  anyWord: ['Chỉ cần một từ', 'Any word'],
  results: ['Kết quả', 'Results'],
  noResults: ['Không tìm thấy kết quả', 'No results'],
  resultsCount: ['{n} trang khớp', '{n} matching pages'],
  openAtPage: ['Mở tại trang {n}', 'Open at page {n}'],
  previous: ['Trước', 'Previous'],
  next: ['Sau', 'Next'],
  alsoSpellings: ['Đã tìm cả các cách viết do OCR nhận sai:', 'Also searched OCR misspellings:'],
  // Dossier
  dossier: ['Hồ sơ', 'Dossier'],
  receivedOn: ['Ngày tiếp nhận', 'Received on'],
  procedure: ['Thủ tục hành chính', 'Procedure'],
  agency: ['Cơ quan', 'Agency'],
  documents: ['Tài liệu', 'Documents'],
  document: ['Tài liệu', 'Document'],
  confidence: ['Độ tin cậy OCR', 'OCR confidence'],
  lowConfidence: ['thấp, cần kiểm tra', 'low, check it'],
  resolution: ['Độ phân giải (dpi)', 'Resolution (dpi)'],
  withdraw: ['Thu hồi', 'Withdraw'],
  withdrawTitle: ['Thu hồi tài liệu {fileCode}', 'Withdraw document {fileCode}'],
  withdrawExplain: [
    'Tài liệu sẽ bị loại khỏi PDF/A của hồ sơ, khỏi tìm kiếm và tỷ lệ số hóa; vẫn được giữ trong lịch sử của hồ sơ.',
    "The document leaves the dossier's PDF/A, search and the digitization rates; it stays in the dossier's history.",
  ],
  withdrawReason: ['Lý do thu hồi', 'Reason'],
  withdrawReasonPlaceholder: ['Ví dụ: nhầm mã hồ sơ, nhầm loại tài liệu', 'e.g. the wrong dossier code, the wrong kind'],
  withdrawConfirm: ['Xác nhận thu hồi', 'Withdraw the document'],
  withdrawFailed: ['Không thu hồi được', 'Could not withdraw'],
  withdrawn: ['Đã thu hồi', 'Withdrawn'],
  withdrawnBy: ['Đã thu hồi bởi {by} lúc {at}. Lý do: {reason}', 'Withdrawn by {by} at {at}. Reason: {reason}'],
  cancel: ['Hủy', 'Cancel'],
  // Viewer
  zoomIn: ['Phóng to', 'Zoom in'],
  zoomOut: ['Thu nhỏ', 'Zoom out'],
  download: ['Tải về', 'Download'],
  pageOf: ['Trang {n} / {total}', 'Page {n} of {total}'],
  // Reform
  dashboardTitle: ['Tổng quan tỷ lệ số hóa', 'Digitization overview'],
  by: ['Theo', 'By'],
  byProcedure: ['Thủ tục', 'Procedure'],
  byAgency: ['Cơ quan, đơn vị', 'Agency'],
  byLevel: ['Cấp', 'Level'],
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  show: ['Xem', 'Show'],
  rateComponent: ['Tỷ lệ số hóa thành phần hồ sơ', 'Component digitization rate'],
  rateResult: ['Tỷ lệ số hóa kết quả giải quyết', 'Result digitization rate'],
  rateOverall: ['Tỷ lệ số hóa chung', 'Overall digitization rate'],
  rateCombined: ['Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC', 'Digitization of dossiers and results (the city’s figure)'],
  rateOnTime: ['Tỷ lệ đúng/sớm hẹn', 'Resolved on time or early'],
  approximate: [
    'Tỷ lệ chung tính gần đúng cho {n} hồ sơ: chưa nhập danh mục thành phần hồ sơ của thủ tục.',
    'Overall rate approximate for {n} dossiers: their procedure’s required components are not imported.',
  ],
  rollUp: ['Quy về đơn vị sau sắp xếp (từ 01/7/2025)', 'In today’s units (after the July 2025 merger)'],
  resultMissing: ['Kết quả giải quyết (đã trả {date})', 'Result (resolved {date})'],
  received: ['Tiếp nhận', 'Received'],
  resolved: ['Đã giải quyết', 'Resolved'],
  digitized: ['Đã số hóa', 'Digitized'],
  trend: ['Diễn biến theo tháng', 'Monthly trend'],
  statusMeets: ['Đạt', 'Meets target'],
  statusBelow: ['Chưa đạt', 'Below target'],
  statusNeeds: ['Cần cải thiện', 'Needs attention'],
  statusNoData: ['Chưa có dữ liệu', 'No data'],
  thresholds: ['Ngưỡng', 'Thresholds'],
  editThresholds: ['Sửa ngưỡng', 'Edit thresholds'],
  thresholdsLine: ['Cần cải thiện dưới {warn}%, đạt chỉ tiêu từ {target}%', 'Needs attention under {warn}%, meets target from {target}%'],
  exportCsv: ['Xuất CSV', 'Export CSV'],
  exportExcel: ['Xuất Excel', 'Export Excel'],
  notDigitized: ['Hồ sơ chưa số hóa', 'Dossiers not yet digitized'],
  showNotDigitized: ['Xem hồ sơ chưa số hóa', 'Show dossiers not yet digitized'],
  missing: ['Còn thiếu', 'Missing'],
  total: ['Tổng', 'Total'],
  level: ['Cấp', 'Level'],
  levelProvince: ['Cấp tỉnh', 'Province'],
  levelCommune: ['Cấp xã', 'Commune'],
  levelDistrict: ['Cấp huyện', 'District'],
  unregistered: ['Hồ sơ đã số hóa chưa có trong sổ theo dõi: {n}', 'Digitized dossiers not in the register: {n}'],
  close: ['Đóng', 'Close'],
  // Admin
  users: ['Người dùng', 'Users'],
  tokens: ['Mã truy cập máy', 'Machine tokens'],
  register: ['Sổ theo dõi hồ sơ', 'Register'],
  auditLog: ['Nhật ký truy cập', 'Audit log'],
  queues: ['Hàng đợi xử lý', 'Processing queues'],
  role: ['Vai trò', 'Role'],
  displayName: ['Họ và tên', 'Full name'],
  active: ['Đang hoạt động', 'Active'],
  disabled: ['Đã khóa', 'Disabled'],
  disable: ['Khóa', 'Disable'],
  enable: ['Mở khóa', 'Enable'],
  resetPassword: ['Đặt lại mật khẩu', 'Reset password'],
  addUser: ['Thêm người dùng', 'Add user'],
  newPasswordShown: ['Mật khẩu của {user} (chỉ hiện một lần): {password}', 'Password of {user} (shown once): {password}'],
  name: ['Tên', 'Name'],
  issueToken: ['Cấp mã truy cập', 'Issue token'],
  revoke: ['Thu hồi', 'Revoke'],
  revoked: ['Đã thu hồi', 'Revoked'],
  lastUsed: ['Dùng lần cuối', 'Last used'],
  never: ['Chưa dùng', 'Never'],
  tokenShown: [
    'Mã truy cập (chỉ hiện một lần, gửi trong "Authorization: Bearer …"):',
    'Token (shown once, send as "Authorization: Bearer …"):',
  ],
  save: ['Lưu', 'Save'],
  saved: ['Đã lưu.', 'Saved.'],
  warnThreshold: ['Ngưỡng cần cải thiện (%)', 'Needs-attention threshold (%)'],
  targetThreshold: ['Chỉ tiêu (%)', 'Target (%)'],
  registerImport: ['Nhập sổ theo dõi (CSV, JSON hoặc Excel)', 'Import the register (CSV, JSON or Excel)'],
  registerTable: ['Loại dữ liệu', 'What the file holds'],
  tableDossiers: ['Hồ sơ tiếp nhận, giải quyết', 'Dossiers received and resolved'],
  tableUnits: ['Sắp xếp đơn vị (đơn vị cũ → đơn vị kế thừa)', 'Unit successions (former unit → successor)'],
  tableProcedures: ['Thành phần hồ sơ của thủ tục (theo phiên bản)', 'Procedure versions and their required components'],
  importFile: ['Nhập tệp', 'Import file'],
  imported: [
    'Đã nhập {rows} dòng ({inserted} mới, {updated} cập nhật, {unchanged} không đổi), {rejected} dòng bị từ chối',
    '{rows} rows imported ({inserted} new, {updated} updated, {unchanged} unchanged), {rejected} lines rejected',
  ],
  line: ['Dòng {n}', 'Line {n}'],
  actor: ['Người thực hiện', 'Actor'],
  action: ['Thao tác', 'Action'],
  target: ['Đối tượng', 'Target'],
  time: ['Thời gian', 'Time'],
  details: ['Chi tiết', 'Details'],
  filter: ['Lọc', 'Filter'],
  openQueues: ['Mở bảng theo dõi hàng đợi (bull-board)', 'Open the queue board (bull-board)'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;

export interface I18n {
  lang: Lang;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  number(n: number, fractionDigits?: number): string;
  percent(n: number | null): string;
  date(iso: string): string;
  dateTime(iso: string): string;
}

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export function makeI18n(lang: Lang): I18n {
  const locale = LOCALE[lang];
  const index = lang === 'vi' ? 0 : 1;
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  // Plain functions, not methods: pages destructure them (`const { t, number } = useI18n()`).
  const number = (n: number, fractionDigits = 0) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);
  return {
    lang,
    // `{n}` is the value; `{n:page|pages}` the word for one, or for any other number (English only needs it).
    t: (key, values = {}) =>
      MESSAGES[key][index].replace(/\{(\w+)(?::([^|}]*)\|([^}]*))?\}/g, (_, name: string, one?: string, other?: string) =>
        one === undefined ? String(values[name] ?? '') : values[name] === 1 ? one : (other ?? ''),
      ),
    number,
    percent: (n) => (n === null ? '—' : `${number(n, 2)}%`),
    // A bare day (YYYY-MM-DD) is a Vietnamese calendar day already: formatted at noon UTC so no zone moves it.
    date: (iso) => dateFormat.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('vi'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

const STORED = 'sohoa.lang';

export function storedLang(): Lang {
  return localStorage.getItem(STORED) === 'en' ? 'en' : 'vi';
}

export function storeLang(lang: Lang): void {
  localStorage.setItem(STORED, lang);
}
