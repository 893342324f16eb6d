/**
 * The PREMIS history of an E-ARK package: a dossier whose documents were digitized, run again,
 * corrected, signed and withdrawn yields one event each, with its agents and objects, oldest
 * first; the XML is well formed. (A whole package, made by `sohoa export` and the API, is checked
 * file by file in test/cli.test.ts and test/api.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { madeFile } from '../storage/objects/eark/files.js';
import { premisXml } from '../storage/objects/eark/premis.js';
import type { DossierManifest } from '../storage/objects/index.js';

const CODE = '000.00.15.H17-250204-0001';

const document = (number: number, extra: object) => ({
  number,
  fileCode: `${CODE}.0${number}`,
  kind: 'component' as const,
  submissionHash: `h${number}`,
  submittedAt: `2025-02-0${number}T01:00:00.000Z`,
  submittedBy: 'hung.le',
  completedAt: `2025-02-0${number}T01:05:00.000Z`,
  originals: [],
  pages: [
    { number: 1, source: { key: 'k', fileName: 'a.jpg', index: 0 }, status: 'done' as const },
    { number: 2, source: { key: 'k', fileName: 'a.jpg', index: 1 }, status: 'failed' as const, error: 'a.jpg page 2: image is empty' },
  ],
  ...extra,
});

const MANIFEST: DossierManifest = {
  version: 1,
  dossierCode: CODE,
  agencyCode: '000.00.15.H17',
  updatedAt: '2025-02-09T00:00:00.000Z',
  documents: [
    document(1, {
      pdfKey: 'p1',
      redone: [{ by: 'hung.le', at: '2025-02-01T02:00:00.000Z' }],
      metadata: {
        values: { subject: 'V/v mới' },
        derived: [],
        changes: [{ by: 'lan.tran', at: '2025-02-03T00:00:00.000Z', fields: { subject: { from: 'V/v cũ', to: 'V/v mới' } } }],
      },
    }),
    document(2, { withdrawn: { by: 'quan.tri', at: '2025-02-05T00:00:00.000Z', reason: 'sai mã hồ sơ' } }),
  ],
  objects: [
    {
      key: 'p1',
      role: 'document-pdf',
      sha256: 'a'.repeat(64),
      size: 10,
      mediaType: 'application/pdf',
      signature: { signer: 'Nguyễn Văn A', agencyName: 'Sở Tài nguyên và Môi trường', signedAt: '2025-02-01T08:06:00+07:00' },
    },
  ],
};

describe('PREMIS history of a dossier', () => {
  it('records digitization, OCR, a redo, a correction, the signature and the withdrawal, oldest first', () => {
    const pdf = {
      ...madeFile(`representations/pdfa/data/${CODE}.01.pdf`, 'application/pdf', Buffer.alloc(10), '2025-02-01T01:05:00.000Z'),
      representation: 'pdfa' as const,
      fileCode: `${CODE}.01`,
      sha256: 'a'.repeat(64),
    };
    const xml = premisXml(MANIFEST, [pdf], 'Sohoa test', '2025-02-10T00:00:00.000Z').toString('utf8');
    execFileSync('xmllint', ['--noout', '-'], { input: xml });
    const events = [
      ...xml.matchAll(
        /<premis:eventType>([^<]*)<\/premis:eventType>\s*<premis:eventDateTime>([^<]*)<\/premis:eventDateTime>\s*<premis:eventDetailInformation>\s*<premis:eventDetail>([^<]*)</g,
      ),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(events).toEqual([
      ['digitization', '2025-02-01T01:05:00.000Z', `${CODE}.01 (component): 1 page(s) digitized, 1 failed, PDF/A-2b`],
      ['text recognition (OCR)', '2025-02-01T01:05:00.000Z', `${CODE}.01: Tesseract (tesseract.js), Vietnamese and English`],
      ['digital signature generation', '2025-02-01T08:06:00+07:00', 'signed by Nguyễn Văn A for Sở Tài nguyên và Môi trường (PAdES)'],
      ['modification', '2025-02-01T02:00:00.000Z', `${CODE}.01: failed pages run again`],
      ['digitization', '2025-02-02T01:05:00.000Z', `${CODE}.02 (component): 1 page(s) digitized, 1 failed, PDF/A-2b`],
      ['text recognition (OCR)', '2025-02-02T01:05:00.000Z', `${CODE}.02: Tesseract (tesseract.js), Vietnamese and English`],
      ['metadata modification', '2025-02-03T00:00:00.000Z', `${CODE}.01: subject corrected`],
      ['deaccession', '2025-02-05T00:00:00.000Z', `${CODE}.02 withdrawn from the dossier: sai mã hồ sơ`],
      [
        'information package creation',
        '2025-02-10T00:00:00.000Z',
        'E-ARK SIP made from the dossier manifest; every file checked against its SHA-256',
      ],
    ]);
    expect(xml).toContain('<premis:messageDigest>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</premis:messageDigest>');
    for (const agent of ['user:hung.le', 'user:lan.tran', 'user:quan.tri', 'sohoa', 'agency:000.00.15.H17'])
      expect(xml).toContain(`<premis:agentIdentifierValue>${agent}</premis:agentIdentifierValue>`);
  });
});
