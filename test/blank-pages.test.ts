/**
 * Blank pages leave the PDF/A, so a page is blank only when it holds nothing of the record: empty
 * paper, bleed-through from the back and the scanner's edge shadow are blank; a signature alone, a
 * seal alone, a page number alone or one line of text are not.
 */

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanupPage } from '../pipeline/cleanup/index.js';
import { cleanPage } from '../pipeline/index.js';
import { CORPUS, corpusAvailable } from './support/env.js';

const W = 2480;
const H = 3508;
const page = (body: string, paper = '#f6f3ec') =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="${paper}"/>${body}</svg>`,
    ),
  )
    .jpeg({ quality: 75 })
    .toBuffer();
const text = (s: string, x: number, y: number, fill = '#111', size = 50) =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}" fill="${fill}">${s}</text>`;
const lines = Array.from({ length: 30 }, (_, i) =>
  text('Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013; căn cứ Nghị định', 250, 400 + i * 90, '#d9d5cc'),
).join('');

const PAGES: [string, string, boolean][] = [
  ['empty paper', '', true],
  ['bleed-through of the back', `<g transform="translate(${W},0) scale(-1,1)">${lines}</g>`, true],
  ['the scanner edge shadow', '<rect width="60" height="100%" fill="#333"/><rect y="3440" width="100%" height="68" fill="#555"/>', true],
  [
    'a signature alone',
    '<path d="M1500 2600 C1600 2450 1700 2750 1800 2550 S2000 2700 2100 2500" stroke="#1a1a60" stroke-width="7" fill="none"/>',
    false,
  ],
  [
    'a seal alone',
    '<circle cx="1200" cy="2600" r="220" fill="none" stroke="#d0202a" stroke-width="18"/><circle cx="1200" cy="2600" r="170" fill="none" stroke="#d0202a" stroke-width="6"/>',
    false,
  ],
  ['a page number alone', text('- 2 -', 1180, 3300, '#111', 46), false],
  ['one line of text', text('Nơi nhận: như trên; lưu VT.', 250, 600), false],
];

describe('blank pages', () => {
  for (const [name, body, blank] of PAGES) {
    it(`${blank ? 'flags' : 'keeps'} ${name}`, async () => {
      const cleaned = await cleanupPage(name, {
        image: await page(body),
        width: W,
        height: H,
        dpi: 300,
        dpiSource: 'metadata',
        bilevel: false,
      });
      expect(cleaned.analysis.blank).toBe(blank);
    }, 20_000);
  }

  it.runIf(corpusAvailable('blank pages'))(
    'keeps the seal-only second page of a real signed decision',
    async () => {
      const file = 'qngai_299-UBND-TTHC_2025_2p_color_signed.pdf';
      const cleaned = await cleanPage(file, fs.readFileSync(path.join(CORPUS, 'real-nogt', file)), 1);
      expect(cleaned.colour).toBe('colour');
      expect(cleaned.analysis.blank).toBe(false);
    },
    30_000,
  );
});
