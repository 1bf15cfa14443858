import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a link the bot hands out stays valid. */
export const LINK_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Links the bot hands out (the model card) are signed and expire, so only
 * someone the bot gave one to (an officer or analyst, audited) can open the
 * page; Teams users' browsers carry no bot credentials to check instead.
 */
export class LinkSigner {
  private readonly key: Buffer;

  /** `secret` empty: a random key for this process (links then work on this process only). */
  constructor(secret: string) {
    this.key = secret ? createHmac('sha256', 'tfd-bot-links').update(secret).digest() : randomBytes(32);
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }

  sign(path: string, now = Date.now()): string {
    const expires = now + LINK_LIFETIME_MS;
    return `${path}?expires=${expires}&sig=${this.signature(path, expires)}`;
  }

  verify(path: string, expires: unknown, sig: unknown, now = Date.now()): boolean {
    const at = Number(expires);
    if (!Number.isFinite(at) || at < now || typeof sig !== 'string') return false;
    const expected = Buffer.from(this.signature(path, at));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
