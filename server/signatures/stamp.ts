// What a digitally signed document shows where the signature goes (Decree 30/2020, Appendix I, on
// the body's digital signature): the body's name and the signing time in ISO 8601, Vietnam's zone.

export interface SignatureStamp {
  name: string;
  /** `2026-12-06T23:20:05+07:00` */
  signedAt: string;
}

export function signatureStamp(name: string, at: Date): SignatureStamp {
  const vietnam = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
  return { name, signedAt: `${vietnam}+07:00` };
}
