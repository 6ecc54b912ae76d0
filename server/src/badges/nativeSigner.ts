import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { BadgeSigner } from '@makeplus/shared';

/** DER header of a PKCS#8 Ed25519 private key; the 32-byte secret (seed) follows (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const keys = new Map<string, KeyObject>();

/**
 * Node's native Ed25519 (OpenSSL) for badge signatures: the same signature as the shared pure-JS
 * signer (Ed25519 is deterministic), at a fraction of its cost — a bulk import signs one badge per
 * new person. Key objects are kept per secret (the server has one or a few keys).
 */
export const nativeBadgeSigner: BadgeSigner = (message, secretKey) => {
  if (secretKey.length !== 32) throw new Error('invalid signing key');
  const id = Buffer.from(secretKey).toString('base64');
  let key = keys.get(id);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, secretKey]), format: 'der', type: 'pkcs8' });
    keys.set(id, key);
  }
  return new Uint8Array(sign(null, message, key));
};
