import {
  type BadgeTrustRecord,
  buildTrustList,
  generateSigningKey,
  newId,
  pendingSignatureCheck,
  resolveBadge,
  signBadge,
} from '@makeplus/shared';
import { describe, expect, it } from 'vitest';
import { checkSignatureNatively } from '../src/doorControl/nativeSignature';

const key = generateSigningKey('S0042');
const record: Pick<BadgeTrustRecord, 'kind' | 'keyId' | 'publicKey' | 'keyOwner' | 'deviceId' | 'revoked' | 'deleted'> =
  {
    kind: 'signing_key',
    keyId: key.keyId,
    publicKey: key.publicKey,
    keyOwner: 'server',
    deviceId: null,
    revoked: false,
    deleted: false,
  };
const trust = () => buildTrustList([{ ...record, id: newId() } as unknown as BadgeTrustRecord]);

/** The door's native (WebCrypto) signature check, fed into the shared rules' memo. */
describe('checkSignatureNatively', () => {
  it('a genuine badge is checked natively once; the shared rules then reuse the answer', async () => {
    const t = trust();
    const code = signBadge({ p: newId(), n: 'Amina Benali', t: 1_777_000_000 }, key);
    const pending = checkSignatureNatively(code, t);
    expect(pending).not.toBeNull();
    await pending;
    expect(pendingSignatureCheck(code, t)).toBeNull();
    expect(checkSignatureNatively(code, t)).toBeNull();
    expect(resolveBadge(code, t).status).toBe('valid');
  });

  it('a forged badge is not remembered natively: the shared check refuses it', async () => {
    const t = trust();
    const code = signBadge({ p: newId(), n: 'Amina Benali', t: 1_777_000_000 }, key);
    const forged = `${code.slice(0, -4)}AAAA`;
    await checkSignatureNatively(forged, t);
    expect(pendingSignatureCheck(forged, t)).not.toBeNull();
    expect(resolveBadge(forged, t)).toMatchObject({ status: 'forged', why: 'bad_signature' });
  });

  it('nothing to do for legacy codes', () => {
    expect(checkSignatureNatively('42', trust())).toBeNull();
  });
});
