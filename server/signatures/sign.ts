// Rendering a document that its body signs: when the body has a signing key (signers.ts), the PDF is
// rendered with the signature stamp where the signature goes, then signed (PAdES); otherwise it is
// rendered as before, unsigned. One function for the decision and the single certificate alike.
import { signPdf } from './pades.ts';
import type { SignerBook } from './signers.ts';
import { signatureStamp, type SignatureStamp } from './stamp.ts';

export interface SigningBody {
  /** The body's unit code, which names its key. */
  code: string;
  /** The body as the document names it ("Ủy ban nhân dân tỉnh An Giang"). */
  name: string;
}

export async function renderSigned(signers: SignerBook | undefined, body: SigningBody | undefined, reason: string, render: (stamp: SignatureStamp | null) => Promise<Buffer>): Promise<{ pdf: Buffer; signed: boolean }> {
  const identity = body ? signers?.forUnit(body.code) : undefined;
  if (!identity || !body) return { pdf: await render(null), signed: false };
  const signedAt = new Date();
  const stamp = signatureStamp(body.name, signedAt);
  const pdf = await render(stamp);
  return { pdf: await signPdf(pdf, identity, { name: body.name, reason, location: 'Việt Nam' }, signedAt), signed: true };
}
