// The demo's client: curl, made to trust the 227 address (--disable-epsv --no-ftp-skip-pasv-ip),
// with its verbose log cut down to the protocol lines and connection attempts; or basic-ftp forced
// to PASV where curl is missing.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { Client, enterPassiveModeIPv4 } from 'basic-ftp';

export interface ClientRun {
  /** The command line shown to the reader. */
  readonly command: string;
  readonly transcript: string[];
  readonly ok: boolean;
  readonly failure: string | undefined;
  readonly body: Buffer | undefined;
}

export interface Transfer {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** Explicit FTPS with PROT P. */
  readonly tls: boolean;
}

const CURL_EXITS: Record<number, string> = {
  7: 'curl exit 7, could not connect',
  28: 'curl exit 28, timed out',
  35: 'curl exit 35, TLS handshake failed',
  64: 'curl exit 64, TLS required but refused',
};

/** Keeps what tells the story: commands, replies, where the client connects, and TLS. */
function interesting(line: string): string | undefined {
  if (line.startsWith('> ') || line.startsWith('< ')) return line;
  if (/^\*\s+Trying /.test(line)) return `* ${line.replace(/^\*\s+/, '')}`;
  // (curl's own "Failed to connect" summary names the control host, which misleads here.)
  if (/^\* (connect to|Connected to|Connecting to|SSL connection using)/.test(line)) {
    return line;
  }
  return undefined;
}

function runCurl(transfer: Transfer): Promise<ClientRun> {
  const url = `ftp://${transfer.host}:${transfer.port}/${transfer.path}`;
  const args = [
    ...(transfer.tls ? ['--ssl-reqd', '-k'] : []),
    '--disable-epsv',
    '--no-ftp-skip-pasv-ip',
    url,
  ];
  const command = `curl ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-v', '-sS', '--max-time', '20', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('latin1');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const transcript = err
        .split(/\r?\n/)
        .map(interesting)
        .filter((line): line is string => line !== undefined)
        // Summaries curl repeats (TLS on each connection, "Connected" for the control one).
        .filter(
          (line, index, all) =>
            !(line.startsWith('* SSL') || line.startsWith('* Connected')) ||
            all.indexOf(line) === index,
        );
      resolve({
        command,
        transcript,
        ok: code === 0,
        failure: code === 0 ? undefined : (CURL_EXITS[code ?? -1] ?? `curl exit ${code}`),
        body: Buffer.concat(out),
      });
    });
  });
}

async function runBasicFtp(transfer: Transfer): Promise<ClientRun> {
  const client = new Client(15_000);
  const transcript: string[] = [];
  client.ftp.verbose = true;
  client.ftp.log = (message: string) => {
    for (const line of message.split(/\r?\n/)) if (line.trim() !== '') transcript.push(line);
  };
  const chunks: Buffer[] = [];
  const command = `basic-ftp (PASV${transfer.tls ? ', explicit FTPS' : ''}) ${transfer.host}:${transfer.port}/${transfer.path}`;
  try {
    await client.access({
      host: transfer.host,
      port: transfer.port,
      secure: transfer.tls,
      secureOptions: { rejectUnauthorized: false },
    });
    client.prepareTransfer = enterPassiveModeIPv4;
    await client.downloadTo(
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
      transfer.path,
    );
    return { command, transcript, ok: true, failure: undefined, body: Buffer.concat(chunks) };
  } catch (error) {
    return { command, transcript, ok: false, failure: (error as Error).message, body: undefined };
  } finally {
    client.close();
  }
}

export function runClient(kind: 'curl' | 'basic-ftp', transfer: Transfer): Promise<ClientRun> {
  return kind === 'curl' ? runCurl(transfer) : runBasicFtp(transfer);
}
