// A plain HTTP request (node:http), for the proxy's /metrics and /healthz.
import { request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export function http(
  host: string,
  port: number,
  path: string,
  method = 'GET',
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers['content-type'],
          body,
          headers: response.headers,
        }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

/** The port of `/metrics` a proxy logged (`metrics on http://HOST:PORT/metrics`). */
export function loggedMetricsPort(log: string): number | undefined {
  const match = /metrics on http:\/\/(?:\[[\da-f:]+\]|[\d.]+):(\d+)\/metrics/.exec(log);
  return match ? Number(match[1]) : undefined;
}
