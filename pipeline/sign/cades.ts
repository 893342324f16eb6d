/**
 * The CMS inside the agency signature, made to the PAdES baseline B-B profile (ETSI EN 319 142-1,
 * CAdES signature per EN 319 122-1): a detached SignedData over the PDF's ByteRange, SHA-256,
 * whose signed attributes are exactly contentType (id-data), messageDigest and
 * signing-certificate-v2 (RFC 5035, SHA-256 of the signer certificate). PAdES puts the signing
 * time in the signature dictionary's /M, never in a CMS signing-time attribute.
 *
 * node-forge opens the PKCS#12 (it reads the legacy 3DES/RC2 encryptions most exported .p12
 * files still use), pkijs/asn1js encode the CMS, node:crypto signs (RSA PKCS#1 v1.5 or ECDSA, as
 * the key dictates).
 */
import { createHash, createPrivateKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { SigningError } from '../errors.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
} as const;

/** The agency's key and certificates, out of its PKCS#12. */
export interface SigningIdentity {
  key: KeyObject;
  /** DER of the certificate that goes with the key. */
  certificate: Buffer;
  /** DER of the other certificates in the PKCS#12 (its chain), carried in the CMS too. */
  chain: Buffer[];
  /** Subject common name of the signer certificate (all subject values when it has none). */
  commonName: string;
}

/** Opens the PKCS#12, so a wrong password or a keyless file fails up front with a clear reason. */
export function openPkcs12(p12: Buffer, password: string): SigningIdentity {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, password);
  } catch (err) {
    throw new SigningError(`the PKCS#12 certificate cannot be opened (wrong password or not a PKCS#12 file): ${(err as Error).message}`);
  }
  const keyBags = [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!].flatMap(
    (type) => pfx.getBags({ bagType: type })[type] ?? [],
  );
  const certType = forge.pki.oids.certBag!;
  const certificates = (pfx.getBags({ bagType: certType })[certType] ?? []).map(bagDer).filter((der): der is Buffer => der !== undefined);
  const keyDer = keyBags.map(bagDer).find((der) => der !== undefined);
  let key: KeyObject | undefined;
  try {
    key = keyDer && createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new SigningError(`the private key in the PKCS#12 file cannot be read: ${(err as Error).message}`);
  }
  const certificate = key && certificates.find((der) => new X509Certificate(der).checkPrivateKey(key));
  if (!key || !certificate) throw new SigningError('the PKCS#12 file holds no private key with its certificate');
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new SigningError(`the PKCS#12 key is ${key.asymmetricKeyType ?? 'of an unknown type'}; only RSA and ECDSA keys can sign`);
  }
  return {
    key,
    certificate,
    chain: certificates.filter((der) => !der.equals(certificate)),
    commonName: commonName(parseCertificate(certificate)),
  };
}

/** A PKCS#12 bag's content as DER: PKCS#8 PrivateKeyInfo for key bags, the X.509 certificate for cert bags. */
function bagDer(bag: forge.pkcs12.Bag): Buffer | undefined {
  const asn1 = bag.cert
    ? forge.pki.certificateToAsn1(bag.cert) // forge re-encodes the certificate it captured, byte for byte
    : bag.key
      ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
      : bag.asn1; // a key or certificate forge cannot model (EC): its ASN.1 as read
  return asn1 ? Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary') : undefined;
}

/** A @signpdf Signer whose CMS is CAdES (PAdES baseline B-B) rather than plain PKCS#7. */
export class CadesSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  /** `signedBytes` is the PDF without its /Contents hole, i.e. exactly what the ByteRange covers. */
  override async sign(signedBytes: Buffer): Promise<Buffer> {
    return cadesDetached(signedBytes, this.identity);
  }
}

function cadesDetached(signedBytes: Buffer, identity: SigningIdentity): Buffer {
  const certificate = parseCertificate(identity.certificate);
  const issuerSerial = { issuer: certificate.issuer, serialNumber: certificate.serialNumber };
  const signedAttributes = derSorted([
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: sha256(signedBytes) })),
    attribute(
      OID.signingCertificateV2,
      signingCertificateV2(
        identity.certificate,
        new pkijs.IssuerSerial({
          issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }),
          serialNumber: certificate.serialNumber,
        }),
      ),
    ),
  ]);
  // The signature covers the attributes DER-encoded as a SET OF (RFC 5652 §5.4), not as [0].
  const toBeSigned = Buffer.from(new asn1js.Set({ value: signedAttributes.map((a) => a.toSchema()) }).toBER());
  const ec = identity.key.asymmetricKeyType === 'ec';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber(issuerSerial),
    digestAlgorithm: sha256Algorithm(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttributes }),
    signatureAlgorithm: ec
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: sign('sha256', toBeSigned, identity.key) }), // ECDSA: DER (r, s)
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }), // detached: no eContent
    certificates: [certificate, ...identity.chain.map(parseCertificate)],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER());
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * SHA-256 being the default, DER leaves hashAlgorithm out (RFC 5035 §4).
 */
function signingCertificateV2(certificateDer: Buffer, issuerSerial: pkijs.IssuerSerial): asn1js.Sequence {
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: sha256(certificateDer) }), issuerSerial.toSchema()],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** DER orders a SET OF by the members' encodings, compared as octet strings (X.690 §11.6). */
function derSorted(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }));
  const padded = (der: Buffer, length: number) => Buffer.concat([der, Buffer.alloc(length - der.length)]);
  return encoded
    .sort((x, y) => {
      const length = Math.max(x.der.length, y.der.length);
      return Buffer.compare(padded(x.der, length), padded(y.der, length));
    })
    .map(({ a }) => a);
}

function sha256Algorithm(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }); // parameters absent (RFC 5754 §2)
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function parseCertificate(der: Buffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

function commonName(certificate: pkijs.Certificate): string {
  const values = certificate.subject.typesAndValues;
  const text = (v: pkijs.AttributeTypeAndValue) => String(v.value.valueBlock.value);
  const cn = values.find((v) => v.type === OID.commonName);
  return cn ? text(cn) : values.map(text).join(', ');
}
