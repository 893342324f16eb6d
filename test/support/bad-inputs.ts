/**
 * A folder of bad scanner input, as stations and attackers send it, made on the fly: each file
 * with what a user must be told about it. Good pages sit among them, so a test sees that nothing
 * else is lost.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { SAMPLE_DIR } from './env.js';
import { imageOnlyPdf, inflatingPdf, multiPageTiff, pageImage, pdfWithGreyImage } from './fixtures.js';

export interface BadInput {
  /** What the file is, for the closing table. */
  kind: string;
  /** Its name as written to disk (bytes, when the name is no UTF-8). */
  name: string | Buffer;
  /** Its name as Sohoa prints it. */
  shown: string;
  /** What the user is told of it; undefined: its pages go into the PDF/A. */
  reason?: RegExp;
  /** Pages it adds to the PDF/A. */
  goodPages: number;
}

/** The citizen the fixtures' file names are about: no log line may name him. */
export const FIXTURE_PERSON = 'Nguyễn Văn Ánh';

const NAME_WORDS = `Đơn đề nghị cấp bản sao trích lục hộ tịch của ông ${FIXTURE_PERSON} `.repeat(6);

/** A Vietnamese file name of `characters` characters (a file system holds at most 255 bytes of one: about 110). */
export function vietnameseName(characters: number): string {
  return `${NAME_WORDS.slice(0, characters - 4).trimEnd()}.jpg`;
}

/** The longest Vietnamese name of whole characters a Linux file system takes. */
function longestFileName(prefix: string): string {
  let characters = 200;
  while (Buffer.byteLength(prefix + vietnameseName(characters)) > 255) characters--;
  return prefix + vietnameseName(characters);
}

/** A PNG whose header declares `width` × `height` over a few bytes of data. */
function declaredPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grey
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A scanned page whose PDF opens a script (the PDF/A is rebuilt from its image: the script never reaches it). */
async function scriptedPdf(page: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(await imageOnlyPdf([page], 200));
  const action = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("owned")') });
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  return Buffer.from(await doc.save());
}

/** A PDF that opens only with a password (pikepdf, which CI installs for the PDF/A checks). */
function encryptedPdf(dir: string, pdf: Buffer): Buffer {
  const plain = path.join(dir, '.plain.pdf');
  const locked = path.join(dir, '.locked.pdf');
  fs.writeFileSync(plain, pdf);
  execFileSync('/usr/bin/python3', [
    '-c',
    'import sys,pikepdf; p=pikepdf.open(sys.argv[1]); p.save(sys.argv[2], encryption=pikepdf.Encryption(user="mat-khau", owner="x"))',
    plain,
    locked,
  ]);
  const bytes = fs.readFileSync(locked);
  fs.rmSync(plain);
  fs.rmSync(locked);
  return bytes;
}

/** Writes the folder; `maxPages` is the SOHOA_MAX_PAGES the run uses. */
export async function writeBadInputs(dir: string, maxPages: number): Promise<BadInput[]> {
  const good = fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'));
  const goodPng = await sharp(good).png().toBuffer();
  const goodTiff = await sharp(good).tiff({ compression: 'lzw' }).toBuffer();
  const smallJpeg = await pageImage({ format: 'jpeg', dpi: 200 });
  const nonUtf8 = Buffer.concat([Buffer.from('ban-sao-'), Buffer.from([0xe5, 0xf5, 0xff]), Buffer.from('.jpg')]);
  const inputs: (Omit<BadInput, 'shown'> & { bytes: Buffer })[] = [
    { kind: 'good page (JPEG)', name: '01-good.jpg', bytes: good, goodPages: 1 },
    { kind: 'empty file', name: '02-zero.jpg', bytes: Buffer.alloc(0), reason: /file is empty or truncated \(0 bytes\)/, goodPages: 0 },
    {
      kind: 'truncated JPEG',
      name: '03-truncated.jpg',
      bytes: good.subarray(0, 20_000),
      reason: /page 1: cleanup failed: .*(premature|truncat|corrupt)/i,
      goodPages: 0,
    },
    {
      kind: 'truncated PNG',
      name: '04-truncated.png',
      bytes: goodPng.subarray(0, Math.floor(goodPng.length / 2)),
      reason: /page 1: .*(premature|truncat|corrupt|read error|unexpected end)/i,
      goodPages: 0,
    },
    {
      kind: 'truncated TIFF',
      name: '05-truncated.tif',
      bytes: goodTiff.subarray(0, Math.floor(goodTiff.length / 2)),
      reason: /page 1: the file begins as a TIFF but cannot be read: damaged or cut short/,
      goodPages: 0,
    },
    {
      kind: 'pixel bomb (PNG declaring 100,000 × 100,000)',
      name: '06-bomb.png',
      bytes: declaredPng(100_000, 100_000),
      reason: /06-bomb\.png page 1: the PNG declares 100000 × 100000 pixels a page, more than any scan holds \(at most 100 Mpx\)$/,
      goodPages: 0,
    },
    {
      kind: 'decompression bomb PDF (144 MB of pixels in a few hundred KB)',
      name: '07-inflate-bomb.pdf',
      bytes: await inflatingPdf(12_000, 'DeviceGray'),
      reason: /page 1: no scanned image on this page .*over 100 Mpx is not decoded/,
      goodPages: 0,
    },
    {
      kind: 'huge page PDF (200 × 200 px on a 200-inch page)',
      name: '08-huge-page.pdf',
      bytes: await pdfWithGreyImage(200, 200, [14_400, 14_400]),
      goodPages: 1,
    },
    {
      kind: 'zero-page PDF with a script',
      name: '09-script-no-pages.pdf',
      bytes: Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
          '3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      ),
      reason: /the PDF has no pages/,
      goodPages: 0,
    },
    {
      kind: 'encrypted PDF (user password)',
      name: '10-encrypted.pdf',
      bytes: encryptedPdf(dir, await imageOnlyPdf([smallJpeg], 200)),
      reason: /page 1: the PDF is locked with a password: send it unlocked$/,
      goodPages: 0,
    },
    { kind: 'PDF with JavaScript over a scanned page', name: '11-script.pdf', bytes: await scriptedPdf(smallJpeg), goodPages: 1 },
    {
      kind: 'text renamed .tif',
      name: '12-notes.tif',
      bytes: Buffer.from('Biên bản họp ngày 3/4 — không phải bản quét\n'),
      reason: /not a scanned page: expected JPEG, PNG, TIFF or PDF/,
      goodPages: 0,
    },
    {
      kind: `${maxPages + 50}-page TIFF over the page cap`,
      name: '13-many-pages.tif',
      bytes: await multiPageTiff(
        await Promise.all(
          Array.from({ length: maxPages + 50 }, () =>
            sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } })
              .png()
              .toBuffer(),
          ),
        ),
      ),
      reason: new RegExp(`${maxPages + 50} pages would take the submission over ${maxPages} pages \\(SOHOA_MAX_PAGES\\)`),
      goodPages: 0,
    },
    { kind: 'longest Vietnamese name a file system holds (255 bytes)', name: longestFileName('14-'), bytes: smallJpeg, goodPages: 1 },
    { kind: 'name that is no UTF-8', name: Buffer.concat([Buffer.from('15-'), nonUtf8]), bytes: smallJpeg, goodPages: 1 },
    { kind: 'name climbing out with ..\\', name: '16-..\\..\\..\\thoat-ra.jpg', bytes: good, goodPages: 1 },
    { kind: 'good page (PNG)', name: '17-good.png', bytes: await pageImage({ dpi: 200 }), goodPages: 1 },
  ];
  const dirBytes = Buffer.from(dir);
  for (const input of inputs) {
    const name = Buffer.isBuffer(input.name) ? input.name : Buffer.from(input.name);
    fs.writeFileSync(Buffer.concat([dirBytes, Buffer.from('/'), name]), input.bytes);
  }
  return inputs.map(({ bytes: _bytes, ...input }) => ({
    ...input,
    shown: Buffer.isBuffer(input.name) ? input.name.toString('utf8') : input.name,
  }));
}
