import { base64urlToBytes, pendingSignatureCheck, rememberSignature, type TrustList } from '@makeplus/shared';

/**
 * Badge signatures checked by the browser's own Ed25519 (WebCrypto, native code) instead of the
 * shared JavaScript implementation: ~0.1–0.3 ms instead of ~4 ms on a small phone or this bench
 * machine. The answer goes into the trust list's memo, where the shared `resolveBadge` finds it, so
 * the verdict rules stay the shared ones. Only a success is kept: WebCrypto verifies strictly (RFC
 * 8032) while the shared check accepts the slightly larger ZIP-215 set, so a refusal here is
 * re-checked by the shared code before the door says "forged". Where WebCrypto has no Ed25519 (older
 * browsers) nothing changes: the shared check runs as before.
 */

let unsupported = typeof crypto === 'undefined' || !crypto.subtle;
const imported = new Map<string, Promise<CryptoKey | null>>();

/** The public key, imported once (the trust list holds a handful of keys). */
export function nativeKey(publicKey: string): Promise<CryptoKey | null> {
  let key = imported.get(publicKey);
  if (!key) {
    const bytes = base64urlToBytes(publicKey);
    key =
      unsupported || bytes?.length !== 32
        ? Promise.resolve(null)
        : crypto.subtle
            .importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
            .catch(() => {
              unsupported = true;
              return null;
            });
    imported.set(publicKey, key);
  }
  return key;
}

/**
 * Check this code's signature natively if the verdict would need one. Null when there is nothing
 * to check (not a signed code, unknown or unusable key, already checked, no WebCrypto Ed25519): the
 * verdict can then be decided at once. Otherwise a promise that settles once the memo has the answer
 * (or once the native check could not give one; the shared check then runs).
 */
export function checkSignatureNatively(code: string, trust: TrustList): Promise<void> | null {
  if (unsupported) return null;
  const check = pendingSignatureCheck(code, trust);
  if (!check) return null;
  return nativeKey(check.publicKey)
    .then((key) =>
      key
        ? crypto.subtle.verify(
            'Ed25519',
            key,
            check.signature as Uint8Array<ArrayBuffer>,
            check.signed as Uint8Array<ArrayBuffer>,
          )
        : false,
    )
    .then(
      (ok) => {
        if (ok) rememberSignature(trust, check.keyId, check.code, true);
      },
      () => {},
    );
}
