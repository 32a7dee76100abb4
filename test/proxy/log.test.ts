import { createStreamLogger } from '@ftpwire/proxy';
import { describe, expect, it } from 'vitest';
import { quote } from '../../packages/proxy/src/errors.ts';
import { formatEndpoint, SessionLog } from '../../packages/proxy/src/log.ts';

describe('log', () => {
  it('writes endpoints as host:port, IPv6 in brackets (RFC 3986 §3.2.2)', () => {
    expect(formatEndpoint('127.0.0.1', 21)).toBe('127.0.0.1:21');
    expect(formatEndpoint('::1', 21)).toBe('[::1]:21');
    expect(formatEndpoint(undefined, undefined)).toBe('?:?');
  });

  it('prefixes a session’s lines with its number, and logs nothing without a logger', () => {
    const lines: string[] = [];
    new SessionLog((line) => lines.push(line), 7).line('open from 127.0.0.1:5000');
    expect(lines).toEqual(['session 7 open from 127.0.0.1:5000']);
    const silent = new SessionLog(undefined, 1);
    expect(silent.enabled).toBe(false);
    silent.line('nothing');
  });

  it('stamps stream log lines with an ISO 8601 UTC time', () => {
    let out = '';
    createStreamLogger((text) => {
      out += text;
    })('listening', {
      level: 'info',
      event: 'listening',
      session: undefined,
      client: undefined,
      upstream: undefined,
      message: 'listening',
      fields: {},
    });
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z listening\n$/);
  });

  it('quotes at most a few dozen characters of peer text, escaped', () => {
    expect(quote('PORT 1,2\r\n')).toBe('"PORT 1,2\\r\\n"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(40)}..."`);
  });
});
