// RSA keys come from node:crypto: much faster than forge's pure-JS path, and the KeyObject is
// what the signer and the certificate builder sign with.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
}

export function generateRsaKeyPair(modulusLength = 2048): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
