/**
 * Batch intake in Chromium against a real server: a station opens a dossier's cover sheet (QR) to
 * print, uploads a stack its sheets split into two documents of two dossiers — the sheets found,
 * an empty one flagged — sees a blank page and a page under 200 dpi badged, retries the failed
 * page; an admin withdraws a document with a reason, and a second, stale withdrawal is refused
 * with the API's message. Screenshots, in Vietnamese and English, go to test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../api/accounts.js';
import { type ApiServer, startApiServer } from '../api/http/index.js';
import { openServices, type Services } from '../api/services.js';
import { importRegister } from '../storage/catalog/index.js';
import { STATION_AGENCY } from './support/accounts.js';
import { browserAvailable, launchChromium, SCREENSHOTS, signedInPage } from './support/browser.js';
import { scannedCoverSheet } from './support/coversheet.js';
import { SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';

const SUITE = 'batch intake in Chromium';
const DOSSIER = `${STATION_AGENCY}-231114-0051`;
const FILE_CODE = `${DOSSIER}.01`;
/** The second dossier of the stack: its document holds the blank, the coarse and the broken page. */
const SECOND = `${STATION_AGENCY}-231114-0052`;
const SECOND_FILE_CODE = `${SECOND}.01`;
const PASSWORD = 'mật khẩu thử nghiệm';
const USERS = {
  station: { name: 'thu.vo', displayName: 'Võ Thị Thu', role: 'station', agencyCode: STATION_AGENCY },
  admin: { name: 'quan.tri', displayName: 'Nguyễn Quản Trị', role: 'admin' },
} as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The stack as a station feeds it: a sheet and a page of text; a second dossier's sheet, a blank
 * page, a page scanned too coarsely and a file that is no scan; a sheet with nothing after it.
 */
async function writeStack(dir: string): Promise<Record<string, string>> {
  const sample = fs.readFileSync(path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg'));
  // Through raw pixels, so that no resolution tag survives: the page's dpi is measured from its text.
  const { data, info } = await sharp(sample).resize({ width: 827 }).raw().toBuffer({ resolveWithObject: true });
  const files: Record<string, Buffer> = {
    sheet: await scannedCoverSheet({ dossierCode: DOSSIER, kind: 'component', procedureCode: '1.004227' }, { dpi: 200 }),
    page: sample,
    secondSheet: await scannedCoverSheet({ dossierCode: SECOND, kind: 'component' }, { dpi: 200 }),
    blank: await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#ffffff' } })
      .withMetadata({ density: 200 })
      .png()
      .toBuffer(),
    coarse: await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .png()
      .toBuffer(),
    broken: Buffer.from('không phải ảnh quét'),
    emptySheet: await scannedCoverSheet({ dossierCode: DOSSIER, kind: 'result' }, { dpi: 200 }),
  };
  const names: Record<string, string> = {
    sheet: '01-to-bia.png',
    page: '02-don.jpg',
    secondSheet: '03-to-bia-0052.png',
    blank: '04-trang-trang.png',
    coarse: '05-quet-100dpi.png',
    broken: '06-tep-hong.png',
    emptySheet: '07-to-bia-ket-qua.png',
  };
  const paths: Record<string, string> = {};
  for (const [key, bytes] of Object.entries(files)) {
    paths[key] = path.join(dir, names[key]!);
    fs.writeFileSync(paths[key], bytes);
  }
  return paths;
}

describe.runIf(browserAvailable(SUITE))(SUITE, () => {
  let env: TestEnvironment;
  let services: Services;
  let server: ApiServer;
  let browser: Browser;
  let dir: string;
  let stack: Record<string, string>;

  beforeAll(async () => {
    env = await testEnvironment('browser-intake', { PORT: '0' });
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    const catalog = services.catalog!;
    for (const user of Object.values(USERS)) await addUser(catalog.accounts, { ...user, password: PASSWORD });
    const register = [
      'ma_ho_so,ma_thu_tuc,ten_thu_tuc,ma_don_vi,ten_don_vi,cap,ngay_tiep_nhan,ngay_tra_ket_qua',
      `${DOSSIER},1.004227,Cấp giấy chứng nhận quyền sử dụng đất,${STATION_AGENCY},UBND phường Hải Châu,commune,2023-11-14,`,
      `${SECOND},1.004227,Cấp giấy chứng nhận quyền sử dụng đất,${STATION_AGENCY},UBND phường Hải Châu,commune,2023-11-14,`,
    ].join('\n');
    await importRegister(catalog, services.ctx.store, { source: 'so-theo-doi.csv', bytes: Buffer.from(register), importedBy: 'test' });
    dir = tempDir('browser-intake-stack');
    stack = await writeStack(dir);
    server = await startApiServer(env.config, services);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
    await env?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Uncaught errors of the app's pages: any is a failure of the test that met it. */
  const pageErrors: string[] = [];
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const signedIn = (role: keyof typeof USERS): Promise<Page> =>
    signedInPage(browser, server.url, { name: USERS[role].name, password: PASSWORD }, { label: role, into: pageErrors });

  /** The dossier's page, once the catalog holds its document (the index job runs after packaging). */
  async function openDossier(page: Page, code: string): Promise<void> {
    await expect
      .poll(async () => (await page.request.get(`${server.url}/api/dossiers/${code}`)).status(), { timeout: 30_000, interval: 500 })
      .toBe(200);
    await page.goto(`${server.url}/dossiers/${code}`);
    await page.waitForSelector('section[data-document="1"]');
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('station: opens a dossier’s cover sheet (QR) to print, a PDF in a new tab', async () => {
    const page = await signedIn('station');
    await page.waitForSelector('section.coversheet');
    // The agency's prefix alone is no code yet: nothing to print.
    expect(await page.locator('section.coversheet button.print').isDisabled()).toBe(true);
    await page.fill('input[name=sheetDossier]', '000.21.30.H17-231115-0001');
    expect(await page.locator('section.coversheet .notice.error').textContent()).toContain('không thuộc cơ quan 000.00.15.H17');
    await page.fill('input[name=sheetDossier]', DOSSIER);
    await page.selectOption('select[name=sheetKind]', 'result');
    await page.fill('input[name=sheetProcedure]', '1.004227');
    const link = page.locator('section.coversheet a.print');
    expect(await link.textContent()).toBe('Mở tờ bìa để in');
    expect(await link.getAttribute('target')).toBe('_blank');
    await shot(page, 'station-coversheet');
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/dossiers/${DOSSIER}/coversheet?kind=result&procedure=1.004227`);
    // The link opens a new tab on the PDF itself.
    const [tab, response] = await Promise.all([
      page.context().waitForEvent('page'),
      page.context().waitForEvent('response', (r) => new URL(r.url()).pathname.endsWith('/coversheet')),
      link.click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(tab).not.toBe(page);
    await tab.close();
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('station: uploads a stack split by its cover sheets, sees blank and under-200-dpi pages, retries the failed one', async () => {
    const page = await signedIn('station');
    await page.check('input[name=mode][value=stack]');
    await page.waitForSelector('form.upload[data-mode="stack"]');
    // The dossier field is optional: empty, a stack must start with a cover sheet, and the refusal names file and page.
    expect(await page.inputValue('form.upload input[name=dossier]')).toBe('');
    await page.setInputFiles('form.upload input[type=file]', [stack.page!]);
    await page.click('form.upload button[type=submit]');
    const refusal = page.locator('form.upload .notice.error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Không tải lên được: .*02-don\.jpg page 1/);
    await page.click('ol.files button.link');

    const uploads: Request[] = [];
    page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/batches' && uploads.push(r));
    const order = ['sheet', 'page', 'secondSheet', 'blank', 'coarse', 'broken', 'emptySheet'];
    await page.setInputFiles(
      'form.upload input[type=file]',
      order.map((key) => stack[key]!),
    );
    await page.dblclick('form.upload button[type=submit]');
    const result = page.locator('section.stack');
    await result.waitFor({ timeout: 60_000 });
    // A double click is one upload, and it carries its key.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.headers()['idempotency-key']).toMatch(UUID);
    expect(await result.locator('h3').first().textContent()).toBe('Tập hồ sơ: 2 tài liệu, 3 tờ bìa');
    const sheets = result.locator('table.sheets tbody tr');
    expect(await sheets.count()).toBe(3);
    expect(await sheets.nth(0).textContent()).toContain(`Tạo tài liệu ${FILE_CODE}`);
    expect(await sheets.nth(1).textContent()).toContain(`Tạo tài liệu ${SECOND_FILE_CODE}`);
    expect(await sheets.nth(2).getAttribute('data-empty')).toBe('true');
    expect(await sheets.nth(2).textContent()).toContain('Tờ bìa trống — không có trang nào theo sau, không tạo tài liệu');

    const first = result.locator(`section.watch[data-file-code="${FILE_CODE}"]`);
    const second = result.locator(`section.watch[data-file-code="${SECOND_FILE_CODE}"]`);
    expect(await first.locator('h3').textContent()).toContain('Thành phần hồ sơ · 1 trang');
    expect(await second.locator('h3').textContent()).toContain('Thành phần hồ sơ · 3 trang');
    for (const code of [FILE_CODE, SECOND_FILE_CODE]) {
      await page.waitForSelector(`section.watch[data-file-code="${code}"][data-state="completed"]`, { timeout: 170_000 });
    }
    expect(await first.locator('tr[data-page="1"]').getAttribute('data-state')).toBe('packaged');
    const blank = second.locator('tr[data-blank="true"]');
    expect(await blank.getAttribute('data-page')).toBe('1');
    expect(await blank.locator('.badge').textContent()).toBe('Trang trắng — không đưa vào PDF/A');
    const coarse = second.locator('tr[data-low-resolution="true"]');
    expect(await coarse.getAttribute('data-page')).toBe('2');
    const dpi = Number(await coarse.locator('td').nth(3).textContent());
    expect(dpi).toBeGreaterThan(60);
    expect(dpi).toBeLessThan(200);
    expect(await coarse.locator('.badge').textContent()).toBe(`⚠ ${dpi} dpi — dưới 200 dpi, cần quét lại`);
    expect(await second.locator('.notice.warn').textContent()).toContain('1 trang có độ phân giải dưới 200 dpi');
    expect(await second.locator('tr[data-page="3"]').getAttribute('data-state')).toBe('failed');
    // Only the document with a failed page offers to retry.
    expect(await first.locator('button.retry').count()).toBe(0);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img.thumb')].every((img) => img.complete && img.naturalWidth > 0),
    );
    // The recent list catches up once the catalog has both documents.
    await page.waitForSelector(`tr[data-file-code="${SECOND_FILE_CODE}"] button.retry`, { timeout: 30_000 });
    expect(await page.locator(`tr[data-file-code="${FILE_CODE}"]`).count()).toBe(1);
    await shot(page, 'station-stack');

    await page.click('text=English');
    await page.waitForSelector('text=Stack: 2 documents, 3 cover sheets');
    expect(await first.locator('h3').textContent()).toContain('Component · 1 page');
    expect(await blank.locator('.badge').textContent()).toBe('Blank page — left out of the PDF/A');
    expect(await coarse.locator('.badge').textContent()).toBe(`⚠ ${dpi} dpi — under 200 dpi, rescan it`);
    expect(await second.locator('.notice.warn').textContent()).toContain('1 page is under 200 dpi');
    expect(await sheets.nth(2).textContent()).toContain('Empty cover sheet — no page followed it, no document made');
    expect(await second.locator('button.retry').textContent()).toBe('↻ Retry failed pages');
    await shot(page, 'station-stack-en');
    await page.click('text=Tiếng Việt');

    // The failed page goes through again, and the progress with it.
    const retry = second.locator('button.retry');
    expect(await retry.textContent()).toBe('↻ Thử lại trang lỗi');
    const [redo] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/dossiers/${SECOND}/documents/1/redo`)),
      retry.click(),
    ]);
    expect(redo.status()).toBe(202);
    expect(await second.locator('.notice[role=status]').first().textContent()).toBe('Đã gửi lại 1 trang lỗi để xử lý.');
    await page.waitForSelector(
      `section.watch[data-file-code="${SECOND_FILE_CODE}"][data-state="completed"] tr[data-page="3"][data-state="failed"]`,
      { timeout: 60_000 },
    );
    expect(await second.locator('tr[data-page="2"]').getAttribute('data-state')).toBe('packaged');
    await shot(page, 'station-stack-retried');

    // A station's dossier page has no withdraw button: that is the admin's.
    await openDossier(page, DOSSIER);
    expect(await page.locator('button.withdraw').count()).toBe(0);
    await page.close();
  });

  it('admin: withdraws the document with a reason; a second, stale withdrawal is refused with the API’s message', async () => {
    const first = await signedIn('admin');
    const stale = await signedIn('admin');
    for (const page of [first, stale]) {
      await openDossier(page, DOSSIER);
      await page.waitForSelector('section[data-document="1"] button.withdraw');
    }
    const card = first.locator('section[data-document="1"]');
    expect(await card.locator('button.withdraw').textContent()).toBe('Thu hồi');
    await shot(first, 'admin-dossier');
    await card.locator('button.withdraw').click();
    const form = card.locator('form.withdraw');
    await form.waitFor();
    expect(await form.locator('h3').textContent()).toBe(`Thu hồi tài liệu ${FILE_CODE}`);
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
    await form.locator('textarea[name=reason]').fill('Nhầm mã hồ sơ: tài liệu của hồ sơ 231114-0052');
    await shot(first, 'admin-withdraw-form');
    await form.locator('button[type=submit]').click();
    const done = card.locator('.notice.ok');
    await done.waitFor();
    expect(await done.textContent()).toMatch(
      /^Đã thu hồi bởi quan\.tri lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}\. Lý do: Nhầm mã hồ sơ: tài liệu của hồ sơ 231114-0052$/,
    );
    expect(await card.locator('.badge').textContent()).toBe('Đã thu hồi');
    expect(await card.locator('button.withdraw').count()).toBe(0);
    await shot(first, 'admin-withdrawn');

    // The other tab still offers it: the API refuses (409), and the page says why, in the API's words.
    await stale.click('text=English');
    const staleCard = stale.locator('section[data-document="1"]');
    await staleCard.locator('button.withdraw').click();
    await staleCard.locator('textarea[name=reason]').fill('Wrong dossier code');
    await staleCard.locator('form.withdraw button[type=submit]').click();
    const refused = staleCard.locator('form.withdraw .notice.error');
    await refused.waitFor();
    expect(await refused.textContent()).toBe(`Could not withdraw: ${FILE_CODE} was withdrawn already, by quan.tri`);
    await shot(stale, 'admin-withdraw-refused-en');
    await stale.click('text=Tiếng Việt');
    await first.close();
    await stale.close();
  });
});
