// CMS (PKCS #7) for PDF signatures: a detached CAdES signature made with an identity read from a
// PKCS #12 file, and the check of a CMS signature over the bytes it claims to cover. pkijs on node's
// WebCrypto does the ASN.1; node-forge only opens the PKCS #12 file.
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
} as const;

/** Who signs: an RSA private key and its certificate chain (the signer's certificate first), all DER. */
export interface SigningIdentity {
  privateKeyPkcs8: Buffer;
  certificates: Buffer[];
  /** The signer certificate's subject, as a person reads it (its common name). */
  subjectName: string;
  notAfter: Date;
}

/** Opens a PKCS #12 file; throws a plain Error (never showing the password) when it cannot. */
export function readPkcs12(p12: Buffer, password: string): SigningIdentity {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, password);
  } catch {
    throw new Error('cannot open the PKCS#12 file: wrong password or not a PKCS#12 file');
  }
  const bags = (type: string): forge.pkcs12.Bag[] => parsed.getBags({ bagType: type })[type] ?? [];
  const key = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)][0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('the PKCS#12 file holds no RSA private key');
  const certificates = bags(forge.pki.oids.certBag!).map((bag) => bag.cert).filter((cert): cert is forge.pki.Certificate => cert !== undefined && cert !== null);
  const own = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!own) throw new Error('the PKCS#12 file holds no certificate for its private key');
  const der = (cert: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const pem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  const subjectName = String(own.subject.getField('CN')?.value ?? own.subject.getField('O')?.value ?? '');
  return {
    privateKeyPkcs8: createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' }),
    certificates: [der(own), ...certificates.filter((cert) => cert !== own).map(der)],
    subjectName: Buffer.from(subjectName, 'binary').toString('utf8'),
    notAfter: own.validity.notAfter,
  };
}

const arrayBuffer = (bytes: Buffer): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * A detached CAdES signature (the CMS a PAdES signature holds) over `data`: content type, message
 * digest and the ESS signing-certificate-v2 as signed attributes; the signing time is the PDF's /M.
 */
export async function signDetached(data: Buffer, identity: SigningIdentity): Promise<Buffer> {
  const [signerDer, ...chain] = identity.certificates;
  if (!signerDer) throw new Error('no signer certificate');
  const certificate = pkijs.Certificate.fromBER(arrayBuffer(signerDer));
  const digest = createHash('sha256').update(data).digest();
  const certificateHash = createHash('sha256').update(signerDer).digest();
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: arrayBuffer(digest) })] }),
      // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { certHash (SHA-256 by default) } }
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: arrayBuffer(certificateHash) })] })] })] })] }),
    ],
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [new pkijs.SignerInfo({ version: 1, sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }), signedAttrs })],
    certificates: [certificate, ...chain.map((der) => pkijs.Certificate.fromBER(arrayBuffer(der)))],
  });
  const key = await webcrypto.subtle.importKey('pkcs8', arrayBuffer(identity.privateKeyPkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  await signedData.sign(key, 0, 'SHA-256');
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

/** What a CMS signature says about the bytes it covers: whether it verifies, and who signed. */
export interface CmsCheck {
  valid: boolean;
  signerName: string | null;
}

/** Checks a detached CMS signature over `data`: the digest, and the signature by the embedded signer certificate. */
export async function verifyDetached(cms: Buffer, data: Buffer): Promise<CmsCheck> {
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(arrayBuffer(cms));
    if (contentInfo.contentType !== OID.signedData) return { valid: false, signerName: null };
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch {
    return { valid: false, signerName: null };
  }
  let valid = false;
  let signer: pkijs.Certificate | undefined;
  try {
    const result = await signedData.verify({ signer: 0, data: arrayBuffer(data), checkChain: false, extendedMode: true });
    valid = result.signatureVerified === true;
    signer = result.signerCertificate ?? undefined;
  } catch {
    valid = false;
  }
  const name = signer?.subject.typesAndValues.find((entry) => entry.type === OID.commonName) ?? signer?.subject.typesAndValues.find((entry) => entry.type === OID.organization);
  return { valid, signerName: name ? String(name.value.valueBlock.value) : null };
}
