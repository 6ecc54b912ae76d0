import { generateSigningKey, parseBadgeCode, signBadge, verifyBadgeSignature } from '@makeplus/shared';
import { describe, expect, it } from 'vitest';
import { nativeBadgeSigner } from '../src/badges/nativeSigner';

describe('native badge signer', () => {
  it('gives exactly the code the shared pure-JS signer gives, and doors verify it', () => {
    for (let i = 0; i < 20; i++) {
      const key = generateSigningKey(`S${i}`);
      const payload = {
        p: crypto.randomUUID(),
        n: `Personne ${i} Ébène`,
        t: 1_800_000_000 + i,
        ...(i % 2 ? { e: crypto.randomUUID() } : {}),
      };
      const native = signBadge(payload, key, nativeBadgeSigner);
      expect(native).toBe(signBadge(payload, key));
      const parsed = parseBadgeCode(native);
      expect(parsed.format).toBe('mkpl');
      if (parsed.format === 'mkpl') expect(verifyBadgeSignature(parsed, key.publicKey)).toBe(true);
    }
  });

  it('refuses a secret that is not 32 bytes', () => {
    expect(() => nativeBadgeSigner(new Uint8Array(3), new Uint8Array(31))).toThrow(/invalid signing key/);
  });
});
