// The pure parts of digital credentials: did:web from PUBLIC_URL, and the status list's bit order
// (index 0 is the left-most bit; PostgreSQL's set_bit counts from the right of each byte).
import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { didWebOf } from '../../../server/credentials/did.ts';
import { encodeStatusList, setBitPosition } from '../../../server/credentials/bitstring.ts';

describe('did:web of PUBLIC_URL', () => {
  it('is the host, a port percent-encoded, path segments joined by ":"', () => {
    expect(didWebOf('https://dvk.angiang.gov.vn')).to.equal('did:web:dvk.angiang.gov.vn');
    expect(didWebOf('https://dvk.angiang.gov.vn/')).to.equal('did:web:dvk.angiang.gov.vn');
    expect(didWebOf('http://localhost:3000')).to.equal('did:web:localhost%3A3000');
    expect(didWebOf('https://cong.gov.vn/thi-dua/dan-van')).to.equal('did:web:cong.gov.vn:thi-dua:dan-van');
  });
});

describe('the status list bitstring', () => {
  it('maps an index to set_bit\'s position: the most significant bit of its byte first', () => {
    expect([0, 1, 7, 8, 9, 15, 131_071].map(setBitPosition)).to.deep.equal([7, 6, 0, 15, 14, 8, 131_064]);
  });

  it('encodes as multibase base64url ("u") of the gzip of the bits, decodable back', () => {
    const bits = new Uint8Array(16_384);
    bits[0] = 0b1000_0000;
    bits[16_383] = 0b0000_0001;
    const encoded = encodeStatusList(bits);
    expect(encoded[0]).to.equal('u');
    expect(encoded).to.match(/^u[A-Za-z0-9_-]+$/);
    expect(Buffer.from(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))).equals(Buffer.from(bits))).to.equal(true);
  });
});
