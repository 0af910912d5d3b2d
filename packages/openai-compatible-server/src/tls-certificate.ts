/**
 * A throwaway self-signed certificate for 127.0.0.1, ::1 and localhost, made at server start with
 * `selfsigned` (pure JavaScript over WebCrypto: no `openssl` binary, no native code), because the
 * `openai` realtime clients always dial `wss://`. An EC P-256 key is quick to make.
 */
import { generate } from 'selfsigned';

export interface TlsCertificate {
  /** PEM: what a client trusts (`NODE_EXTRA_CA_CERTS`, or the `ca` socket option). */
  cert: string;
  /** PEM private key. */
  key: string;
}

export async function selfSignedCertificate(): Promise<TlsCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
