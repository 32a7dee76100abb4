// `pnpm demo`: replays a recorded FTP control session through @ftpwire/lines and @ftpwire/reply.
// The transcript was recorded from vsftpd 3.0.3 (Debian 12) on 127.0.0.1 with pasv_address=127.0.0.2,
// i.e. a server that advertises an address its client cannot reach. Lines starting "C: " are the
// client's commands; everything else is the server's bytes exactly as they came off the socket.
import { readFileSync } from 'node:fs';
import { LineSplitter } from '@ftpwire/lines';
import { type Reply, ReplyParserStream, replyClass, replyGroup } from '@ftpwire/reply';

const CHUNK_SIZE = 7;
const transcript = readFileSync(new URL('./demo/vsftpd-3.0.3-session.txt', import.meta.url));

// Split the recording with the line splitter itself: client lines go to one side, server bytes
// (terminators restored exactly) to the other.
const commands: string[] = [];
const serverParts: Uint8Array[] = [];
const decoder = new TextDecoder();
const splitter = new LineSplitter({
  onLine(line) {
    const text = decoder.decode(line);
    if (text.startsWith('C: ')) commands.push(text.slice(3));
    else serverParts.push(line, Uint8Array.of(0x0d, 0x0a));
  },
});
splitter.push(transcript);
splitter.end();
const serverBytes = new Uint8Array(Buffer.concat(serverParts));

// Feed the server side in tiny chunks, cut mid-line, through the Web Streams adapter.
const chunks = new ReadableStream<Uint8Array>({
  start(controller) {
    for (let i = 0; i < serverBytes.length; i += CHUNK_SIZE) {
      controller.enqueue(serverBytes.subarray(i, i + CHUNK_SIZE));
    }
    controller.close();
  },
});
const replies: Reply[] = [];
for await (const reply of chunks.pipeThrough(new ReplyParserStream())) replies.push(reply);

console.log(
  `ftpwire demo: ${transcript.length} bytes of a recorded vsftpd 3.0.3 session, server side fed to`,
);
console.log(
  `ReplyParserStream in ${CHUNK_SIZE}-byte chunks: ${replies.length} replies, ${commands.length} commands.\n`,
);
const [greeting, ...answers] = replies;
const show = (reply: Reply) => {
  const kind = `${replyClass(reply.code)}, ${replyGroup(reply.code) ?? 'unassigned group'}`;
  console.log(`${`  S: ${reply.lines[0]}`.padEnd(60)}[${kind}]`);
  for (const line of reply.lines.slice(1)) console.log(`  S: ${line}`);
};
if (greeting) show(greeting);
answers.forEach((reply, index) => {
  console.log(`  C: ${commands[index] ?? '(none)'}`);
  show(reply);
});
const pasv = replies.find((reply) => reply.code === 227);
if (pasv) {
  console.log(`\nThe 227 reply advertises the server's own address: ${pasv.text}`);
  console.log('Behind NAT that address is private; a client that trusts it dials nowhere.');
  console.log("Rewriting it on the clear control stream is @ftpwire/nat's job (see the README).");
}
