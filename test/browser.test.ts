/**
 * The web app in Chromium against a real server (API, workers, catalog, Redis, object store): a
 * station signs in and uploads two pages, watches them to done; an archivist finds them by typing
 * without diacritics and opens the PDF/A at the hit's page; the reform office sees the new rate;
 * the admin's page lists the users; a station is refused the archivist's routes and sees no other
 * agency's uploads; a station confirms an issue date read from the page. Screenshots of every page go to test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../api/accounts.js';
import { type ApiServer, startApiServer } from '../api/http/index.js';
import { openServices, type Services } from '../api/services.js';
import { importRegister } from '../storage/catalog/index.js';
import { readManifest } from '../storage/objects/index.js';
import { STATION_AGENCY } from './support/accounts.js';
import { browserAvailable, launchChromium, SCREENSHOTS, signedInPage } from './support/browser.js';
import { putDossier } from './support/catalog-fixtures.js';
import { decree30Page } from './support/decree30-pages.js';
import { SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';

const SUITE = 'web app in Chromium';
const DOSSIER = `${STATION_AGENCY}-231114-0042`;
const OTHER_AGENCY_DOSSIER = '000.21.30.H17-231115-0001';
const READ_DOSSIER = `${STATION_AGENCY}-250301-0043`;
const PASSWORD = 'mật khẩu thử nghiệm';
const USERS = {
  station: { name: 'hung.le', displayName: 'Lê Văn Hùng', role: 'station', agencyCode: STATION_AGENCY },
  archivist: { name: 'lan.tran', displayName: 'Trần Thị Lan', role: 'archivist' },
  reform: { name: 'mai.pham', displayName: 'Phạm Thị Mai', role: 'reform' },
  admin: { name: 'quan.tri', displayName: 'Nguyễn Quản Trị', role: 'admin' },
} as const;

describe.runIf(browserAvailable(SUITE))(SUITE, () => {
  let env: TestEnvironment;
  let services: Services;
  let server: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    env = await testEnvironment('browser', { PORT: '0' });
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    const catalog = services.catalog!;
    for (const user of Object.values(USERS)) await addUser(catalog.accounts, { ...user, password: PASSWORD });
    const register = [
      'ma_ho_so,ma_thu_tuc,ten_thu_tuc,ma_don_vi,ten_don_vi,cap,ngay_tiep_nhan,ngay_hen_tra,ngay_tra_ket_qua',
      `${DOSSIER},1.004227,Cấp giấy chứng nhận quyền sử dụng đất,${STATION_AGENCY},UBND phường Hải Châu,commune,2023-11-14,,`,
      `${STATION_AGENCY}-231120-0007,1.004227,Cấp giấy chứng nhận quyền sử dụng đất,${STATION_AGENCY},UBND phường Hải Châu,commune,2023-11-20,2023-11-27,2023-11-28`,
    ].join('\n');
    await importRegister(catalog, services.ctx.store, { source: 'so-theo-doi.csv', bytes: Buffer.from(register), importedBy: 'test' });
    // Another agency's dossier, digitized: a station of STATION_AGENCY must never see it.
    await putDossier(services.ctx.store, { code: OTHER_AGENCY_DOSSIER, documents: [{ kind: 'component', pages: ['Tờ khai khác'] }] });
    await services.ctx.queue('index').add('index', { dossierCode: OTHER_AGENCY_DOSSIER });
    server = await startApiServer(env.config, services);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
    await env?.cleanup();
  });

  /** Uncaught errors of the app's pages: any is a failure of the test that met it. */
  const pageErrors: string[] = [];
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const signedIn = (role: keyof typeof USERS): Promise<Page> =>
    signedInPage(browser, server.url, { name: USERS[role].name, password: PASSWORD }, { label: role, into: pageErrors });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('station: uploads two pages and watches each through cleanup, OCR and packaging to done', async () => {
    const page = await signedIn('station');
    expect(new URL(page.url()).pathname).toBe('/station');
    await page.fill('input[name=dossier]', DOSSIER);
    await page.fill('input[name=procedure]', '1.004227');
    // The metadata the station knows, in the staff's words; the server derives the rest.
    await page.click('details.metadata summary');
    await page.fill('details.metadata input[name=typeName]', 'Tờ trình');
    await page.fill('details.metadata input[name=codeNotation]', 'TTr-VPĐKĐĐ');
    await page.fill('details.metadata input[name=issuedDate]', '2023-11-14');
    await page.selectOption('details.metadata select[name=mode]', '02');
    await page.fill('details.metadata input[name=component]', 'TP01');
    await shot(page, 'station-metadata');
    await page.setInputFiles('input[type=file]', [
      path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'),
      path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg'),
    ]);
    await page.click('form.upload button[type=submit]');
    const watch = page.locator(`section.watch[data-file-code="${DOSSIER}.01"]`);
    await watch.waitFor();
    await page.waitForSelector(`section.watch[data-file-code="${DOSSIER}.01"][data-state="completed"]`, { timeout: 150_000 });
    expect(await watch.locator('tr[data-state="packaged"]').count()).toBe(2);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img.thumb')].every((img) => img.complete && img.naturalWidth > 0),
    );
    expect(await watch.locator('img.thumb').count()).toBe(2);
    const uploaded = (await readManifest(services.ctx.store, DOSSIER))!.documents[0]!;
    expect([uploaded.component, uploaded.metadata!.values]).toEqual([
      'TP01',
      expect.objectContaining({ typeName: 'Tờ trình', codeNotation: 'TTr-VPĐKĐĐ', issuedDate: '2023-11-14', mode: '02', numberOfPage: 2 }),
    ]);
    await shot(page, 'station-upload');
    await page.reload();
    await page.waitForSelector(`text=${DOSSIER}.01`);
    await shot(page, 'station');
    // Another agency's upload is in the catalog, but not on this station's list.
    expect(await page.locator(`text=${OTHER_AGENCY_DOSSIER}`).count()).toBe(0);
    const archivistOnly = await page.request.get(`${server.url}/api/search?q=dat`);
    expect(archivistOnly.status()).toBe(403);
    const elsewhere = await page.request.get(`${server.url}/api/dossiers/${OTHER_AGENCY_DOSSIER}`);
    expect(elsewhere.status()).toBe(403);
    await page.goto(`${server.url}/search`);
    await expect(page.locator('main').textContent()).resolves.toContain('Vai trò của bạn không được xem trang này.');
    await page.close();
  });

  it('station: confirms the issue date read from the page, looking at the crop it was read from', async () => {
    // A council's decision whose day was written in by hand: read as month and year only.
    const generated = await decree30Page(301);
    const file = path.join(env.config.dataDir, generated.fileName);
    fs.writeFileSync(file, generated.image);
    const page = await signedIn('station');
    await page.fill('input[name=dossier]', READ_DOSSIER);
    await page.setInputFiles('input[type=file]', [file]);
    await page.click('form.upload button[type=submit]');
    const watch = page.locator(`section.watch[data-file-code="${READ_DOSSIER}.01"]`);
    await page.waitForSelector(`section.watch[data-file-code="${READ_DOSSIER}.01"][data-state="completed"]`, { timeout: 150_000 });
    const date = watch.locator('details.read-fields tr[data-field="issuedDate"]');
    await date.waitFor();
    expect(await date.getAttribute('data-status')).toBe('to-confirm');
    expect(await watch.locator('details.read-fields summary').textContent()).toContain('1 mục cần xác nhận');
    expect(await watch.locator('tr[data-field="organName"]').textContent()).toContain(generated.truth.organName);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img.crop')].every((img) => img.complete && img.naturalWidth > 0),
    );
    await shot(page, 'station-read-fields');
    await page.click('text=English');
    await page.waitForSelector('text=Read from the document');
    await shot(page, 'station-read-fields-en');
    await page.click('text=Tiếng Việt');
    await date.locator('input').fill(generated.handwritten.issuedDate!);
    await date.locator('button[type=submit]').click();
    await page.waitForSelector(`section.watch tr[data-field="issuedDate"][data-status="given"]`);
    const manifest = (await readManifest(services.ctx.store, READ_DOSSIER))!;
    expect(manifest.documents[0]!.metadata!.values.issuedDate).toBe(generated.handwritten.issuedDate);
    await page.close();
  });

  it('archivist: finds the page typing without diacritics and opens the PDF/A at that page', async () => {
    const page = await signedIn('archivist');
    await page.fill('input[name=q]', 'to trinh cap giay chung nhan');
    await page.click('form button[type=submit]');
    const hit = page.locator('li.hit').first();
    await hit.waitFor();
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    expect(await hit.textContent()).toContain(`${DOSSIER}.01`);
    await shot(page, 'archivist-search');
    const open = hit.locator('a.button');
    const pdfPage = Number(/(\d+)\s*$/.exec((await open.textContent()) ?? '')?.[1]);
    expect(pdfPage).toBeGreaterThanOrEqual(1);
    await open.click();
    await page.waitForSelector(`canvas[data-rendered-page="${pdfPage}"]`, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('page')).toBe(String(pdfPage));
    await shot(page, 'archivist-viewer');
    await page.goto(`${server.url}/dossiers/${DOSSIER}`);
    await page.waitForSelector('text=Độ tin cậy OCR');
    await shot(page, 'archivist-dossier');
    await page.close();
  });

  it('reform office: the dashboard shows the new rate, with its counts, in Vietnamese numbers', async () => {
    const page = await signedIn('reform');
    await page.fill('input[name=from]', '2023-01-01');
    await page.fill('input[name=to]', '2023-12-31');
    await page.click('form.controls button[type=submit]');
    const totals = page.locator('section.totals');
    await page.waitForSelector('section.totals[data-overall="50"]');
    // One of the register's two dossiers is digitized: 50,00%, with 1 / 2 beside it.
    expect(await totals.textContent()).toContain('50,00%');
    expect(await totals.textContent()).toContain('1 / 2');
    // The city's figure: one component of two received, no result of one resolved: 1 / 3; resolved a day late: 0 / 1.
    expect(await totals.getAttribute('data-combined')).toBe('33.33');
    expect(await totals.locator('.city').textContent()).toMatch(/33,33%.*Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC.*1 \/ 3/);
    expect(await totals.getAttribute('data-on-time')).toBe('0');
    expect(await totals.textContent()).toContain('0 / 1');
    expect(await page.locator('table.rates').textContent()).toContain('1.004227');
    await page.click('table.rates button.link');
    await page.waitForSelector(`section.drill >> text=${STATION_AGENCY}-231120-0007`);
    expect(await page.locator('section.drill').textContent()).toContain('Kết quả giải quyết (đã trả 28/11/2023)');
    await shot(page, 'reform-dashboard');
    const csv = await page.request.get(`${server.url}/api/coverage/export?format=csv&by=procedure&from=2023-01-01&to=2023-12-31`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('1.004227');
    expect((await page.request.get(`${server.url}/api/dossiers/${DOSSIER}/documents/1/pdf`)).status()).toBe(403);
    await page.close();
  });

  it('admin: adds a station user with its agency, and switches the app to English and back', async () => {
    const page = await signedIn('admin');
    await page.waitForSelector('tr[data-user="hung.le"]');
    await shot(page, 'admin-users');
    // A station's agency field appears with its role, and the made password is shown once.
    await page.fill('input[name=name]', 'tram.hoa-khanh');
    await page.fill('input[name=displayName]', 'Trạm quét Hòa Khánh');
    await page.selectOption('select[name=role]', 'reform');
    expect(await page.locator('input[name=agencyCode]').count()).toBe(0);
    await page.selectOption('select[name=role]', 'station');
    await page.fill('input[name=agencyCode]', '000.21.30.h17');
    await page.click('form.card button[type=submit]');
    await page.waitForSelector('tr[data-user="tram.hoa-khanh"] >> text=000.21.30.H17');
    expect(await page.locator('.notice.ok').textContent()).toMatch(/tram\.hoa-khanh.*\S{10,}/);
    await page.click('text=English');
    await page.waitForSelector('text=Users');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.click('text=Tiếng Việt');
    await page.waitForSelector('text=Người dùng');
    await page.click('text=Nhật ký truy cập');
    await page.waitForSelector('table.audit >> text=sign-in');
    await shot(page, 'admin-audit');
    await page.close();
  });

  it('kept a screenshot of every page', () => {
    const taken = fs.readdirSync(SCREENSHOTS);
    expect(taken).toEqual(
      expect.arrayContaining(['station.png', 'archivist-search.png', 'archivist-viewer.png', 'reform-dashboard.png', 'admin-users.png']),
    );
  });
});
