/**
 * What every local stand-in needs from HTTP and TLS, in one place: a request body, and a fresh CA
 * with a leaf for 127.0.0.1/localhost signed by it (EC keys: fast to make), so clients verify TLS
 * against the stand-in exactly as they verify the real service.
 */
import type { IncomingMessage } from 'node:http';
import { generate } from 'selfsigned';

/** The whole body of a request (or response) as bytes. */
const readBytes = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The whole body as UTF-8 text. */
const readBody = async (stream: IncomingMessage): Promise<string> => (await readBytes(stream)).toString('utf8');

/** A CA named `caName` and a server certificate `leafName` for localhost and 127.0.0.1, PEM. */
const localCertificates = async (caName: string, leafName: string) => {
  const ca = await generate([{ name: 'commonName', value: caName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: leafName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { caPem: ca.cert, caKey: ca.private, key: leaf.private, cert: leaf.cert };
};

/** A client certificate (`clientAuth`) named `name`, signed by the CA of `localCertificates`, PEM. */
const localClientCertificate = async (ca: { readonly caPem: string; readonly caKey: string }, name: string) => {
  const client = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.caKey, cert: ca.caPem },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { cert: client.cert, key: client.private };
};

export { localCertificates, localClientCertificate, readBody, readBytes };
