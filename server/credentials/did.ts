// The installation's decentralised identifier: did:web of PUBLIC_URL, so that anyone can find the
// key that signs its credentials at /.well-known/did.json of the same address, without asking us.

/** `https://dvk.gov.vn` → `did:web:dvk.gov.vn`; a port is percent-encoded and path segments become ':'. */
export function didWebOf(publicUrl: string): string {
  const url = new URL(publicUrl);
  const segments = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', encodeURIComponent(url.host), ...segments].join(':');
}

/** The address of a credential-related resource under PUBLIC_URL (which may carry a path). */
export function underPublicUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
