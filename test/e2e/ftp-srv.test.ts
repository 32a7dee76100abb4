import { startFtpSrv } from './harness/ftp-srv.js';
import { transferSuite } from './harness/suite.js';

transferSuite('ftp-srv 4.6.3 (explicit FTPS)', async (scratch, tls) =>
  startFtpSrv(scratch.dir, { tls }),
);
