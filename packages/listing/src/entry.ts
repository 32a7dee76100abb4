/**
 * What the `type` fact says an MLSx entry is (RFC 3659 §7.5.1), case folded: `cdir` is the
 * directory listed, `pdir` its parent; `symlink` is `OS.unix=symlink` (the RFC errata's form)
 * or `OS.unix=slink[:target]` (the form of RFC 3659's own examples); any other value
 * (`OS.unix=chr-13/29`, a device) is `other`.
 *
 * @example
 * ```ts
 * import { type MlsxType, parseFacts } from '@ftpwire/listing';
 *
 * const types: (MlsxType | undefined)[] = [
 *   'Type=cdir; /pub',
 *   'type=OS.unix=slink:/srv/data; data',
 *   'type=OS.unix=chr-13/29; null',
 *   ' untyped',
 * ].map((line) => parseFacts(line).type);
 * types; // => ['cdir', 'symlink', 'other', undefined]
 * ```
 */
export type MlsxType = 'file' | 'dir' | 'cdir' | 'pdir' | 'symlink' | 'other';

/**
 * One MLSD line or MLST entry (RFC 3659 §7): the pathname and its facts, with typed views of
 * the standard facts. The facts are the truth (what `formatFacts` writes); each typed view is
 * undefined when its fact is absent, and a fact that is present but does not read as its type
 * makes the parser throw `ERR_INVALID_FACT` rather than hand out a wrong number or date.
 *
 * @example
 * ```ts
 * import { type MlsxEntry, parseFacts } from '@ftpwire/listing';
 *
 * const entry: MlsxEntry = parseFacts(
 *   'modify=20240229134501;perm=adfrw;size=1048576;type=file;UNIX.mode=0644;UNIX.owner=1000; my report.pdf',
 * );
 * entry.name; // => 'my report.pdf'
 * entry.size; // => 1048576
 * entry.modify?.toISOString(); // => '2024-02-29T13:45:01.000Z'
 * entry.unixMode?.toString(8); // => '644'
 * entry.facts.get('unix.owner'); // => '1000'
 * ```
 */
export interface MlsxEntry {
  /**
   * The pathname: everything after the space that ends the facts (RFC 3659 §7.2: the first
   * one), byte for byte (`;`, spaces and leading
   * spaces included), decoded as UTF-8 (RFC 2640); bytes that are not UTF-8 become U+FFFD here
   * and stay intact in `rawName`.
   */
  readonly name: string;
  /** The pathname's bytes exactly as received, only when they are not valid UTF-8. */
  readonly rawName: Uint8Array | undefined;
  /** Every fact in the order sent, names lower-cased (RFC 3659 §7.1: they are case-insensitive). */
  readonly facts: ReadonlyMap<string, string>;
  /** The `type` fact, case folded. */
  readonly type: MlsxType | undefined;
  /** The target of `type=OS.unix=slink:target`, when the server names it. */
  readonly link: string | undefined;
  /** The `size` fact: the file's size in octets (RFC 3659 §7.5.7). */
  readonly size: number | undefined;
  /** The `sizd` fact: the size a directory's listing takes, as some servers send it. */
  readonly sizd: number | undefined;
  /** The `modify` fact (RFC 3659 §7.5.3), a time-val in UTC. */
  readonly modify: Date | undefined;
  /** The `create` fact (RFC 3659 §7.5.4), a time-val in UTC. */
  readonly create: Date | undefined;
  /** The `perm` fact as sent: the letters `a c d e f l m p r w` (RFC 3659 §7.5.5). */
  readonly perm: string | undefined;
  /** The `unique` fact (RFC 3659 §7.5.2): equal for two names of one file. */
  readonly unique: string | undefined;
  /** The `lang` fact (RFC 3659 §7.5.6). */
  readonly lang: string | undefined;
  /** The `media-type` fact (RFC 3659 §7.5.8). */
  readonly mediaType: string | undefined;
  /** The `charset` fact (RFC 3659 §7.5.9). */
  readonly charset: string | undefined;
  /** `UNIX.mode`, read as octal digits (ProFTPD and Pure-FTPd send `0644`). */
  readonly unixMode: number | undefined;
  /** `UNIX.owner` as sent: ProFTPD sends the numeric id, other servers the user name. */
  readonly unixOwner: string | undefined;
  /** `UNIX.group` as sent: ProFTPD sends the numeric id, other servers the group name. */
  readonly unixGroup: string | undefined;
  /** `UNIX.ownername` (ProFTPD). */
  readonly unixOwnerName: string | undefined;
  /** `UNIX.groupname` (ProFTPD). */
  readonly unixGroupName: string | undefined;
  /** `UNIX.uid`, decimal (Pure-FTPd). */
  readonly unixUid: number | undefined;
  /** `UNIX.gid`, decimal (Pure-FTPd). */
  readonly unixGid: number | undefined;
}

/**
 * What a LIST line names (`ls -l`'s first letter, DOS `<DIR>`, EPLF `/` and `r`): device
 * files, pipes and sockets are `other`.
 *
 * @example
 * ```ts
 * import { type ListEntryType, parseListLine } from '@ftpwire/listing';
 *
 * const now = new Date('2026-11-27T12:00:00Z');
 * const type = (line: string): ListEntryType | undefined => parseListLine(line, { now })?.type;
 * type('drwxr-xr-x    2 0        0            4096 Nov 27 09:12 pub'); // => 'directory'
 * type('lrwxrwxrwx    1 0        0               8 Nov 27 09:12 latest -> pub'); // => 'link'
 * type('crw-rw-rw-    1 0        0          1,   3 Nov 27 09:12 null'); // => 'other'
 * type('11-27-26  09:12AM                 1024 report.pdf'); // => 'file'
 * ```
 */
export type ListEntryType = 'file' | 'directory' | 'link' | 'other';

/**
 * The LIST formats `parseListLine` reads: `unix` (`ls -l`, as vsftpd, ProFTPD, Pure-FTPd and
 * FileZilla Server send it), `dos` (IIS's default, `MM-DD-YY hh:mmAM <DIR>`) and `eplf`
 * (D. J. Bernstein's Easily Parsed LIST Format, `+facts\tname`).
 *
 * @example
 * ```ts
 * import { type ListDialect, parseListLine } from '@ftpwire/listing';
 *
 * const iis: ListDialect = 'dos';
 * parseListLine('12-05-96  05:03PM       <DIR>          absoft2', { dialect: iis })?.name;
 * // => 'absoft2'
 * parseListLine('+i8388621.48594,m825718503,r,s280,\tdjb.html')?.dialect; // => 'eplf'
 * ```
 */
export type ListDialect = 'unix' | 'dos' | 'eplf';

/**
 * One line of a LIST answer read as a directory entry. Fields the line does not give are
 * undefined. Listings carry no time zone: `modified` holds the wall-clock time the server
 * printed, as if it were UTC.
 *
 * @example
 * ```ts
 * import { type ListEntry, parseListLine } from '@ftpwire/listing';
 *
 * const now = new Date('2026-11-27T12:00:00Z');
 * const entry: ListEntry | undefined = parseListLine(
 *   '-rw-r--r--    1 ftp      ftp        1048576 Nov 27 09:12 my report.pdf',
 *   { now },
 * );
 * entry?.name; // => 'my report.pdf'
 * entry?.size; // => 1048576
 * entry?.modified?.toISOString(); // => '2026-11-27T09:12:00.000Z'
 * entry?.permissions; // => 'rw-r--r--'
 * parseListLine('total 12'); // => undefined
 * ```
 */
export interface ListEntry {
  /** The format the line was read in. */
  readonly dialect: ListDialect;
  /**
   * The name, decoded as UTF-8 (RFC 2640), spaces kept (a Unix name may begin with one); for
   * a symbolic link, the part before ` -> `. Bytes that are not UTF-8 become U+FFFD here and
   * stay intact in `rawName`.
   */
  readonly name: string;
  /** The name's bytes exactly as received, only when they are not valid UTF-8. */
  readonly rawName: Uint8Array | undefined;
  /** What the entry is. */
  readonly type: ListEntryType;
  /** Size in bytes; undefined for a directory in DOS form and for device files. */
  readonly size: number | undefined;
  /** Last modification, the server's wall clock read as UTC. */
  readonly modified: Date | undefined;
  /** A symbolic link's target (`name -> target`). */
  readonly link: string | undefined;
  /** The nine permission letters of `ls -l` (`rwxr-xr-x`), or EPLF's `up` mode in that form. */
  readonly permissions: string | undefined;
  /** The owner column of `ls -l` as sent (a name, or a number as vsftpd sends it). */
  readonly owner: string | undefined;
  /** The group column of `ls -l` as sent; undefined when the line has none. */
  readonly group: string | undefined;
  /** The whole line as received (without its line end), decoded as UTF-8. */
  readonly line: string;
}
