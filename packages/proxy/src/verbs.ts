/**
 * The verbs the proxy passes to the server. A verb the proxy does not know cannot be judged, and
 * a server may give it a meaning the proxy never checked (a second way to say PORT, a command that
 * opens a connection): unknown verbs are answered 502 here unless the operator lets them through.
 */
export const STANDARD_VERBS: readonly string[] = [
  // RFC 959
  'USER PASS ACCT CWD CDUP SMNT QUIT REIN PORT PASV TYPE STRU MODE RETR STOR STOU APPE ALLO',
  'REST RNFR RNTO ABOR DELE RMD MKD PWD LIST NLST SITE SYST STAT HELP NOOP',
  // RFC 775: the X- forms older clients still send
  'XMKD XRMD XPWD XCUP XCWD',
  // RFC 2228 (the session core answers the ones it cannot relay itself)
  'AUTH ADAT PROT PBSZ CCC MIC CONF ENC',
  // RFC 2389, 2428, 2640, 3659, 7151; RFC 1639's LPRT and LPSV are answered by the core
  'FEAT OPTS EPRT EPSV LANG MDTM SIZE MLST MLSD HOST LPRT LPSV',
  // Common extensions: client identification, times, hashes, free space
  // (XSHA1, XSHA256, MD5 are not alphabetic: @ftpwire/command refuses them as RFC 959 §5.3 does)
  'CLNT MFMT MFCT MFF HASH XCRC XMD5 XSHA AVBL CSID DSIZ',
].flatMap((group) => group.split(' '));

/** Verbs whose command opens or uses a data connection (RFC 959 §4.1.3, RFC 3659 §7). */
export const TRANSFER_VERBS: ReadonlySet<string> = new Set(
  'RETR STOR STOU APPE LIST NLST MLSD'.split(' '),
);

/** Verbs that log in: a 230 or 232 answering one ends the login timeout. */
export const LOGIN_VERBS: ReadonlySet<string> = new Set(['USER', 'PASS', 'ACCT']);

/**
 * Which verbs pass: the standard ones and `allowed` (upper-cased). Verbs are alphabetic by the
 * time they get here (`@ftpwire/command` refuses anything else).
 */
export class VerbPolicy {
  readonly #passed: ReadonlySet<string>;

  constructor(allowed: readonly string[] = []) {
    this.#passed = new Set([...STANDARD_VERBS, ...allowed.map((verb) => verb.toUpperCase())]);
  }

  passes(verb: string): boolean {
    return this.#passed.has(verb);
  }
}
