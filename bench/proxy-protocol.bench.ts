/**
 * The PROXY protocol header parser of @ftpwire/proxy (`parseProxyHeader`), the cost a proxy
 * behind HAProxy pays once per connection, against proxy-protocol-js 4.0.6 (the npm package a
 * Node user would otherwise pick), in the same run. Workloads: 1000 headers each, as HAProxy and
 * curl send them: version 1 TCP4 and TCP6 lines, version 2 TCP4 and TCP6, and version 2 with the
 * TLVs HAProxy adds with `proxy-v2-options unique-id,crc32c` (ftpwire verifies the CRC32C;
 * proxy-protocol-js does not). Bytes in, as a socket delivers them: proxy-protocol-js reads
 * version 1 from a string, so its decoding is timed too. Each workload is checked at load: both
 * must read every source address right, or the file throws (bench/proxy-protocol-corpus.ts).
 */

import { bench, describe } from 'vitest';
import { tag } from './corpus.js';
import { contenderParse, ftpwireParse, headerWorkloads } from './proxy-protocol-corpus.js';

const sink = { value: 0 };
const options = { time: 1000, warmupTime: 300 };

for (const { name, headers, version } of headerWorkloads) {
  const bytes = headers.reduce((sum, header) => sum + header.length, 0);
  describe(`PROXY header parse, ${name} ${tag({ bytes })}`, () => {
    bench(
      'ftpwire parseProxyHeader',
      () => {
        sink.value += ftpwireParse(headers);
      },
      options,
    );
    bench(
      'proxy-protocol-js',
      () => {
        sink.value += contenderParse(headers, version);
      },
      options,
    );
  });
}
