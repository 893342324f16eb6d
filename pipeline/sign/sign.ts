/**
 * The agency's signature on a finished PDF/A (Circular 05/2025/TT-BNV: converted first, signed
 * after): a PAdES baseline B-B signature (ETSI.CAdES.detached, SHA-256, signing-certificate-v2)
 * made with the agency's PKCS#12 certificate, shown on page 1 top right with the agency name and
 * the signing time in Vietnam time, no seal image. @signpdf writes the placeholder (the signing
 * time goes in its /M) and fills in the CMS that cades.ts makes; this module lays out the
 * visible appearance, in the embedded DejaVu subset so the file stays PDF/A.
 */

import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { type PDFArray, PDFContentStream, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { SigningError } from '../errors.js';
import { embedDejaVuSans, savePdfA, vietnamTime } from '../pdfa/index.js';
import { drawSignatureAppearance, signatureBox } from './appearance.js';
import { CadesSigner, openPkcs12 } from './cades.js';

export interface AgencyCertificate {
  /** PKCS#12 (.p12/.pfx) holding the agency's private key and certificate. */
  p12: Buffer;
  password: string;
  /** Shown on the signature, e.g. "Ủy ban nhân dân phường Hải Châu". */
  agencyName: string;
}

export interface SignedPdf {
  pdf: Buffer;
  /** Subject common name of the signing certificate. */
  signer: string;
  agencyName: string;
  /** ISO 8601, Vietnam time. */
  signedAt: string;
}

/** Room for the CMS (certificate chain included) in the /Contents placeholder, in bytes. */
const SIGNATURE_BYTES = 16_384;

export async function signPdfA(pdf: Buffer, certificate: AgencyCertificate, signingTime: Date = new Date()): Promise<SignedPdf> {
  const identity = openPkcs12(certificate.p12, certificate.password);
  const signedAt = vietnamTime(signingTime);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const font = await embedDejaVuSans(doc);
  const lines = [certificate.agencyName, `Thời gian ký: ${signedAt}`];
  const box = signatureBox(page, font, lines);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    pdfPage: page,
    reason: pdfTextString('Ký số bản số hóa'),
    contactInfo: '',
    name: pdfTextString(certificate.agencyName),
    location: pdfTextString('Việt Nam'),
    signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: [box.x, box.y, box.x + box.width, box.y + box.height],
  });
  drawSignatureAppearance(appearanceOfLastWidget(doc, page.node.Annots()), font, lines, box);
  const prepared = await savePdfA(doc);
  try {
    const signed = await new SignPdf().sign(prepared, new CadesSigner(identity));
    return { pdf: signed, signer: identity.commonName, agencyName: certificate.agencyName, signedAt };
  } catch (err) {
    throw new SigningError(`cannot sign: ${(err as Error).message}`);
  }
}

/** The placeholder's widget is the page's last annotation; its appearance stream is drawn here. */
function appearanceOfLastWidget(doc: PDFDocument, annots: PDFArray | undefined): PDFContentStream {
  const widgetRef = annots?.get(annots.size() - 1);
  const widget = widgetRef instanceof PDFRef ? doc.context.lookup(widgetRef, PDFDict) : undefined;
  const appearance = widget?.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'));
  if (!(appearance instanceof PDFContentStream)) throw new SigningError('the signature placeholder has no appearance stream');
  return appearance;
}

/**
 * @signpdf writes these strings as PDF literal strings byte for byte, so Vietnamese text goes in
 * as UTF-16BE with a byte-order mark (what PDF text strings allow), every byte outside printable
 * ASCII octal-escaped so no reader can rewrite it.
 */
function pdfTextString(text: string): string {
  const utf16 = /^[\x20-\x7e]*$/.test(text)
    ? Buffer.from(text, 'latin1')
    : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  return [...utf16]
    .map((b) =>
      b === 0x28 || b === 0x29 || b === 0x5c
        ? `\\${String.fromCharCode(b)}`
        : b < 0x20 || b > 0x7e
          ? `\\${b.toString(8).padStart(3, '0')}`
          : String.fromCharCode(b),
    )
    .join('');
}
