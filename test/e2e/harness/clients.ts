// basic-ftp 6.2.6 as the second client. It tries EPSV first; `passive: 'pasv'` forces PASV, and
// since the proxy and its public host are both loopback (private) addresses, basic-ftp then
// dials the 227 address as given, so PASV works only with a correct rewrite.
import { Readable, Writable } from 'node:stream';
import { Client, enterPassiveModeIPv4 } from 'basic-ftp';

export interface BasicFtpOptions {
  readonly secure?: boolean | 'implicit';
  readonly passive?: 'epsv' | 'pasv';
}

export async function basicFtp(
  host: string,
  port: number,
  options: BasicFtpOptions = {},
): Promise<Client> {
  const client = new Client(30_000);
  await client.access({
    host,
    port,
    user: 'anonymous',
    password: 'test@',
    secure: options.secure ?? false,
    secureOptions: { rejectUnauthorized: false },
  });
  if (options.passive === 'pasv') client.prepareTransfer = enterPassiveModeIPv4;
  return client;
}

export async function download(client: Client, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await client.downloadTo(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    path,
  );
  return Buffer.concat(chunks);
}

export async function upload(client: Client, bytes: Uint8Array, path: string): Promise<void> {
  await client.uploadFrom(Readable.from([Buffer.from(bytes)]), path);
}
