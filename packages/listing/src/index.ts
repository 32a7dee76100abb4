/**
 * Parses FTP directory listings: MLSD lines and MLST replies (RFC 3659 §7, facts with typed
 * views) and LIST lines in the formats real servers send (Unix `ls -l`, MS-DOS style as IIS
 * sends it, EPLF), one line at a time or streamed from a data connection, with names kept
 * byte for byte.
 *
 * @module \@ftpwire/listing
 */
export type { ListDialect, ListEntry, ListEntryType, MlsxEntry, MlsxType } from './entry.js';
export { ListingError, type ListingErrorCode } from './errors.js';
export { parseFacts } from './facts.js';
export { formatFacts } from './format.js';
export { type ListLineOptions, parseListLine } from './list-line.js';
export { parseMlstReply } from './mlst.js';
export { type ListingFormat, ListingParser, type ListingParserOptions } from './parser.js';
export { ListingParserStream } from './stream.js';
