/**
 * The listing parsers on seeded 10,000-entry listings (bench/listing-corpus.ts: `ls -l` as
 * vsftpd and ProFTPD write it, IIS's MS-DOS style, MLSD as ProFTPD and Pure-FTPd write it),
 * against basic-ftp's `parseList`, what its `client.list()` runs. Every contender is checked
 * against the truth of every entry at load, outside timing. basic-ftp is handed the listing
 * decoded (its client decodes the data connection before parsing); ftpwire's one-shot parsers
 * get the same text and cut the lines themselves, inside the timing; ListingParser takes the
 * bytes, its decoding timed too.
 */
import { bench, describe } from 'vitest';
import { sink, tag } from './corpus.js';
import {
  basicFtpList,
  checkTruth,
  dos,
  ENTRIES,
  ftpwireFactLines,
  ftpwireListLines,
  ftpwireStream,
  mlsd,
  unix,
} from './listing-corpus.js';

const options = { time: 1000, warmupTime: 300 };

checkTruth('Unix', unix);
checkTruth('DOS', dos);
checkTruth('MLSD', mlsd);

describe(`LIST, Unix ls -l, ${ENTRIES} entries ${tag({ bytes: unix.bytes.length, lines: ENTRIES })}`, () => {
  bench(
    'ftpwire parseListLine',
    () => {
      sink.value += ftpwireListLines(unix.text);
    },
    options,
  );
  bench(
    'ftpwire ListingParser (bytes in)',
    () => {
      sink.value += ftpwireStream(unix.chunks);
    },
    options,
  );
  bench(
    'basic-ftp parseList',
    () => {
      sink.value += basicFtpList(unix.text);
    },
    options,
  );
});

describe(`LIST, DOS (IIS), ${ENTRIES} entries ${tag({ bytes: dos.bytes.length, lines: ENTRIES })}`, () => {
  bench(
    'ftpwire parseListLine',
    () => {
      sink.value += ftpwireListLines(dos.text);
    },
    options,
  );
  bench(
    'ftpwire ListingParser (bytes in)',
    () => {
      sink.value += ftpwireStream(dos.chunks);
    },
    options,
  );
  bench(
    'basic-ftp parseList',
    () => {
      sink.value += basicFtpList(dos.text);
    },
    options,
  );
});

describe(`MLSD, ${ENTRIES} entries ${tag({ bytes: mlsd.bytes.length, lines: ENTRIES })}`, () => {
  bench(
    'ftpwire parseFacts',
    () => {
      sink.value += ftpwireFactLines(mlsd.text);
    },
    options,
  );
  bench(
    'ftpwire ListingParser (bytes in)',
    () => {
      sink.value += ftpwireStream(mlsd.chunks, 'mlsd');
    },
    options,
  );
  bench(
    'basic-ftp parseList',
    () => {
      sink.value += basicFtpList(mlsd.text, true);
    },
    options,
  );
});
