import { startBattery, UPSTREAMS } from './test/e2e/adversarial/upstreams.ts';
import { RawFtp, openData, readAll } from './test/e2e/harness/raw-client.ts';
const battery = await startBattery(UPSTREAMS[0]!, 'lat', ['--quiet']);
async function run(host: string, port: number, n: number) {
  const c = await RawFtp.connect(host, port); await c.reply(); await c.login();
  const t = { epsv: 0, connect: 0, p150: 0, data: 0, r226: 0 };
  for (let i = 0; i < n; i++) {
    let s = performance.now();
    const r = await c.command('EPSV'); const dport = Number(/\|\|\|(\d+)\|/.exec(r.lines[0]!)![1]);
    t.epsv += performance.now() - s; s = performance.now();
    const d = await openData(host, dport); t.connect += performance.now() - s; s = performance.now();
    c.send(`RETR ${battery.file.name}`); const body = readAll(d.socket);
    await c.reply(); t.p150 += performance.now() - s; s = performance.now();
    await body; t.data += performance.now() - s; s = performance.now();
    await c.reply(); t.r226 += performance.now() - s;
  }
  c.close();
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, +(v / n).toFixed(3)]));
}
for (let round = 0; round < 3; round++) {
  console.log('direct', JSON.stringify(await run('127.0.0.1', battery.server.port, 100)));
  console.log('proxy ', JSON.stringify(await run('127.0.0.3', battery.proxy.port, 100)));
}
await battery.stop();
