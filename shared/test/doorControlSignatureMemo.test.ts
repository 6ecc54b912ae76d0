import { describe, expect, it } from 'vitest';
import { buildTrustList, pendingSignatureCheck, rememberSignature, resolveBadge, signBadge } from '../src';
import { AMINA_USER_ID, keyRecords, OLD_SERVER_KEY, SERVER_KEY, serverBadge } from './doorControlFixtures';

/** A signature checked elsewhere (the door's WebCrypto) handed to the shared rules. */
describe('pendingSignatureCheck / rememberSignature', () => {
  it('names the check resolveBadge would run, with the bytes a verifier needs', () => {
    const trust = buildTrustList(keyRecords);
    const code = serverBadge(AMINA_USER_ID);
    const check = pendingSignatureCheck(code, trust);
    expect(check).toMatchObject({ keyId: SERVER_KEY.keyId, publicKey: SERVER_KEY.publicKey, code });
    expect(check?.signature.length).toBe(64);
    // The bytes are the ones the shared verifier checks.
    const [prefix, body] = code.split('.');
    expect(new TextDecoder().decode(check?.signed)).toBe(`${prefix}.${body}`);
  });

  it('nothing to check for legacy codes, unknown or revoked keys, or a code already checked', () => {
    const trust = buildTrustList(keyRecords);
    expect(pendingSignatureCheck('42', trust)).toBeNull();
    expect(
      pendingSignatureCheck(
        signBadge({ p: AMINA_USER_ID, n: 'Amina Benali', t: 1_777_000_000 }, OLD_SERVER_KEY),
        trust,
      ),
    ).toBeNull();
    const code = serverBadge(AMINA_USER_ID);
    expect(resolveBadge(code, trust).status).toBe('valid');
    expect(pendingSignatureCheck(code, trust)).toBeNull();
  });

  it('resolveBadge uses a remembered answer instead of checking again', () => {
    const trust = buildTrustList(keyRecords);
    const code = serverBadge(AMINA_USER_ID);
    const check = pendingSignatureCheck(code, trust);
    if (!check) throw new Error('expected a check');
    rememberSignature(trust, check.keyId, check.code, false);
    // Whatever remembered it is what counts: the rules never second-guess the memo.
    expect(resolveBadge(code, trust)).toMatchObject({ status: 'forged', why: 'bad_signature' });
    rememberSignature(trust, check.keyId, check.code, true);
    expect(resolveBadge(code, trust).status).toBe('valid');
  });

  it('a tampered code still fails the shared check when nothing was remembered', () => {
    const trust = buildTrustList(keyRecords);
    const code = serverBadge(AMINA_USER_ID);
    const forged = `${code.slice(0, -4)}AAAA`;
    expect(pendingSignatureCheck(forged, trust)).not.toBeNull();
    expect(resolveBadge(forged, trust)).toMatchObject({ status: 'forged', why: 'bad_signature' });
  });
});
