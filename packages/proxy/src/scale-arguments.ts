import { AddressRanges } from './address-ranges.js';
import { ProxyError } from './errors.js';
import type { Endpoint } from './options.js';
import type { BalanceMode, UpstreamProxyProtocol } from './scale-options.js';

/** One option's values as read off the command line (see `RawArguments`). */
type Values = readonly { readonly value: string; readonly index: number }[] | undefined;

/** The parsers of arguments.ts this file shares, so that both read values one way. */
export interface ArgumentParsers {
  endpoint(text: string, name: string, index: number): Endpoint;
  seconds(text: string, name: string, index: number): number;
  choice<T extends string>(text: string, name: string, index: number, choices: readonly T[]): T;
}

/** The options of scaling out, from `--upstream` (repeated), `--balance`, `--health-interval`, `--proxy-protocol-from`, `--upstream-proxy-protocol`. */
export interface ScaleArguments {
  readonly upstream: Endpoint | readonly Endpoint[];
  readonly balance?: BalanceMode;
  readonly healthInterval?: number;
  readonly proxyProtocolFrom?: readonly string[];
  readonly upstreamProxyProtocol?: UpstreamProxyProtocol;
}

export function interpretScaleArguments(
  values: (name: string) => Values,
  parse: ArgumentParsers,
): ScaleArguments {
  const upstreams = (values('--upstream') ?? []).map(({ value, index }) =>
    parse.endpoint(value, '--upstream', index),
  );
  const seen = new Map<string, number>();
  for (const [i, { host, port }] of upstreams.entries()) {
    const key = `${host.toLowerCase()}:${port}`;
    if (seen.has(key)) {
      throw new ProxyError(
        'ERR_INVALID_OPTION',
        `--upstream ${host}:${port} given twice`,
        values('--upstream')![i]!.index,
      );
    }
    seen.set(key, i);
  }
  const balance = values('--balance')?.[0];
  const interval = values('--health-interval')?.[0];
  const from = values('--proxy-protocol-from') ?? [];
  const ranges: string[] = [];
  for (const { value, index } of from) {
    const texts = value.split(',');
    try {
      AddressRanges.parse(texts, '--proxy-protocol-from');
    } catch (error) {
      throw new ProxyError('ERR_INVALID_OPTION', (error as Error).message, index);
    }
    ranges.push(...texts);
  }
  const protocol = values('--upstream-proxy-protocol')?.[0];
  return {
    upstream: upstreams.length === 1 ? upstreams[0]! : upstreams,
    ...(balance
      ? {
          balance: parse.choice(balance.value, '--balance', balance.index, [
            'round-robin',
            'least-sessions',
            'by-user',
          ] as const),
        }
      : {}),
    ...(interval
      ? { healthInterval: parse.seconds(interval.value, '--health-interval', interval.index) }
      : {}),
    ...(ranges.length > 0 ? { proxyProtocolFrom: ranges } : {}),
    ...(protocol
      ? {
          upstreamProxyProtocol: parse.choice(
            protocol.value,
            '--upstream-proxy-protocol',
            protocol.index,
            ['v1', 'v2'] as const,
          ),
        }
      : {}),
  };
}
