// Preloaded into proxies the tests start (`node --import ./watchdog.mjs`): when the test process
// goes away, however it ends, the pipe on stdin closes and the proxy shuts down like on SIGTERM.
// The pipe is unref'd, so that it never keeps a proxy that is done from exiting.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.stdin.unref();
