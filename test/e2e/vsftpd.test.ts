import { transferSuite } from './harness/suite.js';
import { startVsftpd, vsftpdCases } from './harness/vsftpd.js';

const cases = vsftpdCases();

transferSuite(
  'vsftpd 3.0.3 (explicit FTPS, require_ssl_reuse=YES)',
  async (scratch, tls) => startVsftpd(scratch.dir, { tls }),
  cases.skip,
);
