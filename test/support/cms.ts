/**
 * Checks a PDF signature as a validator does, independently of the code that made it: the
 * ByteRange covers the whole file but the /Contents hole, the CMS messageDigest is the SHA-256
 * of those bytes, the signer's signature over the signed attributes (as received) verifies with
 * the certificate the CMS carries, and the signing-certificate-v2 attribute names that
 * certificate (pkijs parses, node:crypto hashes and verifies).
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface PdfSignatureCheck {
  byteRangeCoversFile: boolean;
  digestMatches: boolean;
  signatureVerifies: boolean;
  signerCommonName: string;
  subFilter: string;
  /** Digest algorithm of the signer, by name when known (sha256), else its OID. */
  digestAlgorithm: string;
  /** Signed attribute types, by name when known, else their OIDs; sorted. */
  signedAttributes: string[];
  /** The signing-certificate-v2 attribute's first ESSCertIDv2: its hash algorithm and certHash (hex). */
  signingCertificateV2?: { hashAlgorithm: string; certHash: string };
  /** DER of the certificate the SignerInfo names (issuer and serial number), hex. */
  signerCertificate: string;
}

const NAMES: Record<string, string> = {
  '1.2.840.113549.1.9.3': 'contentType',
  '1.2.840.113549.1.9.4': 'messageDigest',
  '1.2.840.113549.1.9.5': 'signingTime',
  '1.2.840.113549.1.9.16.2.12': 'signingCertificate',
  '1.2.840.113549.1.9.16.2.47': 'signingCertificateV2',
  '2.16.840.1.101.3.4.2.1': 'sha256',
};
const nameOf = (oid: string) => NAMES[oid] ?? oid;

export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const text = pdf.toString('latin1');
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!range) throw new Error('no /ByteRange: the PDF is not signed');
  const [start, holeStart, holeEnd, tailLength] = range.slice(1).map(Number) as [number, number, number, number];
  const signedBytes = Buffer.concat([pdf.subarray(start, holeStart), pdf.subarray(holeEnd, holeEnd + tailLength)]);
  const hole = pdf.subarray(holeStart, holeEnd).toString('latin1');
  const der = Buffer.from(hole.slice(1, -1), 'hex'); // <…hex…>, zero-padded after the CMS

  const parsed = asn1js.fromBER(new Uint8Array(der)); // reads the first element; the zero padding after it is left alone
  if (parsed.offset === -1) throw new Error(`the /Contents CMS is not ASN.1: ${parsed.result.error}`);
  const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
  if (contentInfo.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error(`the CMS is ${contentInfo.contentType}, not SignedData`);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0]!;
  const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber;
  const certificate = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  if (!certificate) throw new Error('the CMS does not carry the certificate its SignerInfo names');
  const certificateDer = Buffer.from(certificate.toSchema().toBER());

  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const attributeValue = (oid: string) => attributes.find((a) => a.type === oid)?.values[0];
  const messageDigest = attributeValue('1.2.840.113549.1.9.4') as asn1js.OctetString | undefined;
  // The signature covers the attributes DER-encoded as a SET (RFC 5652 §5.4), not as [0]: the
  // bytes as received, with the tag changed.
  const attributesAsSet = Buffer.from(signerInfo.signedAttrs!.encodedValue);
  attributesAsSet[0] = 0x31;
  const publicKey = new X509Certificate(certificateDer).publicKey;
  const cn = certificate.subject.typesAndValues.find((v) => v.type === '2.5.4.3');

  return {
    byteRangeCoversFile: start === 0 && holeEnd + tailLength === pdf.length && hole.startsWith('<') && hole.endsWith('>'),
    digestMatches:
      messageDigest !== undefined &&
      Buffer.from(messageDigest.valueBlock.valueHexView).equals(createHash('sha256').update(signedBytes).digest()),
    signatureVerifies: verify('sha256', attributesAsSet, publicKey, Buffer.from(signerInfo.signature.valueBlock.valueHexView)),
    signerCommonName: String(cn?.value.valueBlock.value),
    subFilter: /\/SubFilter\s*\/([\w.]+)/.exec(text)?.[1] ?? '',
    digestAlgorithm: nameOf(signerInfo.digestAlgorithm.algorithmId),
    signedAttributes: attributes.map((a) => nameOf(a.type)).sort(),
    signingCertificateV2: essCertIdV2(attributeValue('1.2.840.113549.1.9.16.2.47')),
    signerCertificate: certificateDer.toString('hex'),
  };
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, … }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT id-sha256, certHash OCTET STRING, … }
 */
function essCertIdV2(value: unknown): PdfSignatureCheck['signingCertificateV2'] {
  if (!(value instanceof asn1js.Sequence)) return undefined;
  const certs = value.valueBlock.value[0];
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return undefined;
  const [head, next] = first.valueBlock.value;
  const explicitAlgorithm = head instanceof asn1js.Sequence ? new pkijs.AlgorithmIdentifier({ schema: head }).algorithmId : undefined;
  const hash = explicitAlgorithm ? next : head;
  if (!(hash instanceof asn1js.OctetString)) return undefined;
  return {
    hashAlgorithm: nameOf(explicitAlgorithm ?? '2.16.840.1.101.3.4.2.1'),
    certHash: Buffer.from(hash.valueBlock.valueHexView).toString('hex'),
  };
}
