// A SessionCore with every effect recorded: what the server received, what the client received,
// the data channels asked for, TLS started, the end. No socket, no timer: each test drives both
// peers byte by byte and looks at exactly what the proxy decided.
import type { HostPort } from '@ftpwire/address';
import type { ChannelHandle, ChannelRequest } from '../../packages/proxy/src/channel-handle.ts';
import type { ProxyError } from '../../packages/proxy/src/errors.ts';
import {
  SessionCore,
  type SessionCoreOptions,
  type SessionEffects,
  type TlsLegs,
} from '../../packages/proxy/src/session-core.ts';
import { VerbPolicy } from '../../packages/proxy/src/verbs.ts';

export const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
export const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** A data channel the test can look at; ports count up from 40000. */
export class FakeChannel implements ChannelHandle {
  readonly address: HostPort;
  open = true;
  armed = false;
  target: number | undefined;
  clientFailure: string | undefined;
  clientUnreachable = false;

  constructor(
    readonly request: ChannelRequest,
    readonly port: number,
  ) {
    this.address = { host: '127.0.0.1', port };
  }

  setTarget(port: number): void {
    this.target = port;
  }

  arm(): void {
    this.armed = true;
  }

  commandsSent = 0;
  preliminaryReplies = 0;

  commandSent(): void {
    this.commandsSent++;
  }

  preliminaryReply(): void {
    this.preliminaryReplies++;
  }

  /** The codes of the final replies told to this channel, in order. */
  readonly finalReplies: number[] = [];

  finalReply(code: number): void {
    this.finalReplies.push(code);
  }

  close(): void {
    this.open = false;
  }
}

export interface CoreUnderTest {
  readonly core: SessionCore;
  /** Lines the server received, each with its CRLF. */
  readonly toServer: string[];
  /** Everything the client received, in order. */
  clientText(): string;
  /** The client's replies as lines without CRLF. */
  clientLines(): string[];
  readonly channels: FakeChannel[];
  /** Channel requests not answered yet (only with `answerChannels: false`). */
  readonly waitingChannels: ChannelRequest[];
  readonly log: string[];
  readonly ended: { error: ProxyError | undefined }[];
  tlsStarted: number;
  /** The legs of each TLS upgrade asked for, in order. */
  readonly tlsLegs: TlsLegs[];
  aborts: number;
  /** Whether the core asked for the client not to be read. */
  clientHeld: boolean;
  /** Makes toClient report a full buffer from now on (a client that stops reading). */
  clientStopsReading(): void;
  clientReadsAgain(): void;
  client(data: string | Uint8Array): void;
  server(data: string | Uint8Array): void;
}

export interface HarnessOptions extends Partial<SessionCoreOptions> {
  /** Open channels at once (default), or leave them in `waitingChannels`. */
  readonly answerChannels?: boolean;
  /** Verbs to let through besides the standard ones. */
  readonly allowVerbs?: readonly string[];
}

export function coreUnderTest(options: HarnessOptions = {}): CoreUnderTest {
  const received: Uint8Array[] = [];
  let clientFull = false;
  let nextPort = 40000;
  const harness: CoreUnderTest = {
    core: undefined as unknown as SessionCore,
    toServer: [],
    clientText: () => received.map(text).join(''),
    clientLines: () => harness.clientText().split('\r\n').slice(0, -1),
    channels: [],
    waitingChannels: [],
    log: [],
    ended: [],
    tlsStarted: 0,
    tlsLegs: [],
    aborts: 0,
    clientHeld: false,
    clientStopsReading: () => {
      clientFull = true;
    },
    clientReadsAgain: () => {
      clientFull = false;
      harness.core.clientDrained();
    },
    client: (data) => harness.core.pushClient(typeof data === 'string' ? latin1(data) : data),
    server: (data) => harness.core.pushServer(typeof data === 'string' ? latin1(data) : data),
  };
  const effects: SessionEffects = {
    toServer: (bytes) => {
      harness.toServer.push(text(bytes));
      return true;
    },
    toClient: (bytes) => {
      received.push(bytes);
      return !clientFull;
    },
    holdClient: (held) => {
      harness.clientHeld = held;
    },
    openChannel: (request) => {
      if (options.answerChannels === false) {
        harness.waitingChannels.push(request);
        return;
      }
      const channel = new FakeChannel(request, nextPort++);
      harness.channels.push(channel);
      harness.core.channelOpened(channel);
    },
    abortTransfers: () => {
      harness.aborts++;
      for (const channel of harness.channels) channel.close();
    },
    startTls: (legs) => {
      harness.tlsStarted++;
      harness.tlsLegs.push(legs);
    },
    activity: () => {},
    log: (line) => harness.log.push(line),
    end: (error) => harness.ended.push({ error }),
  };
  const core = new SessionCore(
    {
      passiveMode: 'relay',
      activeMode: 'relay',
      publicHost: '193.21.1.121',
      tls: true,
      implicitTls: false,
      clientAddress: '198.51.100.7',
      maxLineLength: 8192,
      maxPendingCommands: 1024,
      verbs: new VerbPolicy(options.allowVerbs ?? []),
      ...options,
    },
    effects,
  );
  (harness as { core: SessionCore }).core = core;
  return harness;
}

/** A core past its greeting: the client has read the 220. */
export function greeted(options: HarnessOptions = {}): CoreUnderTest {
  const harness = coreUnderTest(options);
  harness.server('220 ready\r\n');
  return harness;
}
