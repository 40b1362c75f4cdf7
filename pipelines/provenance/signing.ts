// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { InvalidValuesError } from '../../src/core/problem';

/**
 * Model artifact signing with an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY). KMS signs the
 * artifact's SHA-256 digest itself (message type DIGEST), so the artifact never leaves S3 and any
 * size can be signed. ECDSA P-256 signatures are about 72 bytes (96 characters in base64), which
 * fits a model package's CustomerMetadataProperties value (at most 256 characters); an RSA-2048
 * signature (344 characters) would not.
 */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function digestBytes(sha256Hex: string): Uint8Array {
  if (!SHA256_HEX.test(sha256Hex)) throw new InvalidValuesError('signing', [{ path: 'digest', value: sha256Hex, message: 'is not a SHA-256 digest', fix: 'give 64 lower-case hex digits' }]);
  return Buffer.from(sha256Hex, 'hex');
}

/** A signature over a digest, and the key that made it. */
export interface DigestSignature {
  /** Base64 of the DER-encoded ECDSA signature. */
  readonly signature: string;
  /** ARN of the key KMS signed with. */
  readonly keyArn: string;
  readonly algorithm: string;
}

/** Signs a SHA-256 digest (hex) with the key (id, ARN or alias). */
export async function signDigest(kms: KMSClient, keyId: string, sha256Hex: string): Promise<DigestSignature> {
  const out = await kms.send(new SignCommand({
    KeyId: keyId,
    Message: digestBytes(sha256Hex),
    MessageType: 'DIGEST',
    SigningAlgorithm: SIGNING_ALGORITHM,
  }));
  if (!out.Signature || !out.KeyId) throw new Error(`KMS Sign with ${keyId} returned no signature`);
  return { signature: Buffer.from(out.Signature).toString('base64'), keyArn: out.KeyId, algorithm: out.SigningAlgorithm ?? SIGNING_ALGORITHM };
}

/**
 * Whether the signature (base64) over the digest verifies with the key. KMS answers an invalid
 * signature with KMSInvalidSignatureException; that is a `false` here, not an error.
 */
export async function verifyDigest(
  kms: KMSClient, keyId: string, sha256Hex: string, signatureBase64: string, algorithm = SIGNING_ALGORITHM,
): Promise<boolean> {
  try {
    const out = await kms.send(new VerifyCommand({
      KeyId: keyId,
      Message: digestBytes(sha256Hex),
      MessageType: 'DIGEST',
      Signature: Buffer.from(signatureBase64, 'base64'),
      SigningAlgorithm: algorithm as never,
    }));
    return out.SignatureValid === true;
  } catch (e) {
    if ((e as Error).name === 'KMSInvalidSignatureException') return false;
    throw e;
  }
}
