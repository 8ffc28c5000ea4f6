import { expect } from 'chai';
import { testConfig } from '../../support/config.ts';

describe('TRUST_PROXY', () => {
  it('accepts false, a hop count, and proxy addresses or subnets', () => {
    expect(testConfig({ TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
    expect(testConfig({ TRUST_PROXY: '' }).trustProxy).to.equal(false);
    expect(testConfig({ TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    expect(testConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(testConfig({ TRUST_PROXY: 'loopback' }).trustProxy).to.deep.equal(['loopback']);
    expect(testConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10, fd00::/8' }).trustProxy).to.deep.equal(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);
  });

  it('reads true as one hop, never as trusting every address', () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      expect(testConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(1);
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).to.include('TRUST_PROXY=true is read as 1').and.include('loopback');
  });

  it('refuses at start a value it does not understand, naming the accepted ones', () => {
    for (const value of ['everyone', '10.0.0.0/33', '10.0.0.300', 'loopback, nonsense']) {
      expect(() => testConfig({ TRUST_PROXY: value }), value).to.throw(/TRUST_PROXY .*false.*\(1\).*loopback/);
    }
  });
});
