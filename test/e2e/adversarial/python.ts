// CPython's ftplib as a client (python3 is on every machine): the client that found the TLS 1.3
// close_notify and the ABOR defects. Each script prints one JSON line with what it saw.
import { spawn } from 'node:child_process';

export interface PythonResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function python(
  script: string,
  args: readonly string[],
  timeoutSeconds = 60,
): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutSeconds * 1000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The last line of stdout as JSON. */
export function lastJson<T>(result: PythonResult): T {
  const lines = result.stdout.trim().split('\n');
  try {
    return JSON.parse(lines.at(-1) ?? '') as T;
  } catch {
    throw new Error(
      `python printed no result (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/**
 * Shared head of the scripts: `session()` connects to argv[1]:argv[2] (FTPS with PROT P when
 * argv[3] is `tls`) and logs in.
 */
export const FTPLIB_SESSION = `
import ftplib, json, ssl, sys
host, port, secure = sys.argv[1], int(sys.argv[2]), sys.argv[3] == 'tls'
def session():
    if secure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        ftp = ftplib.FTP_TLS(context=context, timeout=20)
    else:
        ftp = ftplib.FTP(timeout=20)
    ftp.connect(host, port)
    ftp.login('anonymous', 'test@')
    if secure:
        ftp.prot_p()
    return ftp
`;

/**
 * `rounds` transfers under PROT P in one session: RETR of `file`, and NLST of `dir`. Prints
 * `{ ok, errors }`.
 */
export const SHORT_TRANSFERS = `${FTPLIB_SESSION}
file, directory, rounds = sys.argv[4], sys.argv[5], int(sys.argv[6])
ftp = session()
ok, errors = 0, []
for _ in range(rounds):
    try:
        chunks = []
        ftp.retrbinary('RETR ' + file, chunks.append)
        ftp.nlst(directory)
        ok += 1
    except Exception as error:
        errors.append(repr(error))
        break
ftp.quit()
print(json.dumps({'ok': ok, 'errors': errors}))
`;

/** One session per round, each with one empty transfer (`RETR` of an empty file, NLST of an empty directory). */
export const EMPTY_TRANSFERS = `${FTPLIB_SESSION}
file, directory, rounds = sys.argv[4], sys.argv[5], int(sys.argv[6])
ok, errors = 0, []
for _ in range(rounds):
    try:
        ftp = session()
        chunks = []
        ftp.retrbinary('RETR ' + file, chunks.append)
        ftp.nlst(directory)
        ftp.quit()
        ok += 1
    except Exception as error:
        errors.append(repr(error))
print(json.dumps({'ok': ok, 'errors': errors}))
`;

/**
 * RETR of a large file, 1 KiB read, the data connection closed (as retrbinary does when its
 * callback raises), then ftplib's abort() (ABOR as urgent data), then the ABOR's own reply, then
 * NOOP and PWD: prints the replies, in order. (With the data connection still open and unread,
 * abort() hangs against vsftpd even without a proxy.)
 *
 * RFC 959 §4.1.3: the aborted RETR gets its final reply first, then the ABOR its own; abort()
 * reads only one. Left unread, the ABOR's reply would answer the NOOP and the NOOP's the PWD:
 * the client would send PWD while its NOOP is unanswered, and ftp-srv 4.6.3 runs commands that
 * arrive in separate reads concurrently, so it may answer that PWD before the NOOP (shown
 * directly in clients.test.ts). Read in step, the replies have one order at any server.
 */
export const ABORT = `${FTPLIB_SESSION}
file = sys.argv[4]
ftp = session()
connection = ftp.transfercmd('RETR ' + file)
connection.recv(1024)
connection.close()
replies = []
try:
    replies.append(ftp.abort())
except ftplib.all_errors as error:
    # ftp-srv answers the aborted RETR 551, which abort() raises.
    replies.append(str(error))
replies.append(ftp.getmultiline())
for command in ('NOOP', 'PWD'):
    try:
        replies.append(ftp.sendcmd(command))
    except ftplib.all_errors as error:
        replies.append(str(error))
ftp.close()
print(json.dumps({'replies': replies}))
`;
