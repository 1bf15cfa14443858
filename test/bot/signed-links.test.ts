import { describe, expect, it } from 'vitest';
import { LINK_LIFETIME_MS, LinkSigner } from '../../bot/signed-links.js';

describe('signed links', () => {
  it('verify for their path until they expire, and not for another path or key', () => {
    const signer = new LinkSigner('secret');
    const now = 1_700_000_000_000;
    const link = new URL(`http://x${signer.sign('/model-cards/r1', now)}`);
    const [expires, sig] = [link.searchParams.get('expires'), link.searchParams.get('sig')];
    expect(signer.verify('/model-cards/r1', expires, sig, now + 1000)).toBe(true);
    expect(signer.verify('/model-cards/r1', expires, sig, now + LINK_LIFETIME_MS + 1)).toBe(false);
    expect(signer.verify('/model-cards/r2', expires, sig, now)).toBe(false);
    expect(signer.verify('/model-cards/r1', String(Number(expires) + 1), sig, now)).toBe(false);
    expect(new LinkSigner('other').verify('/model-cards/r1', expires, sig, now)).toBe(false);
    expect(new LinkSigner('secret').verify('/model-cards/r1', expires, sig, now)).toBe(true);
    expect(signer.verify('/model-cards/r1', undefined, undefined, now)).toBe(false);
  });
});
