// SessionCore.drain(): what is under way finishes, nothing new starts, then a 421 in order.
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../packages/proxy/src/errors.ts';
import { coreUnderTest, greeted } from './core-harness.ts';

const SHUTDOWN = '421 Service closing: the proxy is shutting down.';

describe('SessionCore drain', () => {
  it('ends an idle session at once with 421, in order after what was owed', () => {
    const session = greeted();
    session.core.drain();
    expect(session.clientLines()).toEqual(['220 ready', SHUTDOWN]);
    // An orderly end: no error, so a data connection still relaying is not cut.
    expect(session.ended).toEqual([{ error: undefined }]);
    expect(session.log).toContain('drained: nothing under way, closing with 421');
  });

  it('lets a transfer reach its final reply, then ends; a command sent meanwhile gets the 421', () => {
    const session = greeted();
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    session.client('RETR big.iso\r\n');
    session.server('150 sending\r\n');
    session.core.drain();
    expect(session.ended).toEqual([]);
    // The client asks for something else while the transfer runs: held, never forwarded.
    session.client('STAT\r\nRETR other.iso\r\n');
    expect(session.toServer).toEqual(['PASV\r\n', 'RETR big.iso\r\n']);
    session.server('226 done\r\n');
    expect(session.clientLines().slice(-3)).toEqual(['150 sending', '226 done', SHUTDOWN]);
    expect(session.ended).toEqual([{ error: undefined }]);
    expect(session.toServer).toEqual(['PASV\r\n', 'RETR big.iso\r\n']);
  });

  it('passes ABOR during the drain: it can only end the transfer sooner', () => {
    const session = greeted();
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    session.client('RETR big.iso\r\n');
    session.server('150 sending\r\n');
    session.core.drain();
    session.client('ABOR\r\n');
    expect(session.toServer.at(-1)).toBe('ABOR\r\n');
    expect(session.aborts).toBe(1);
    session.server('426 aborted\r\n226 abor ok\r\n');
    expect(session.clientLines().slice(-3)).toEqual(['426 aborted', '226 abor ok', SHUTDOWN]);
    expect(session.ended).toHaveLength(1);
  });

  it('waits for the greeting of a session still starting', () => {
    const session = coreUnderTest();
    session.core.drain();
    expect(session.ended).toEqual([]);
    session.server('220 ready\r\n');
    expect(session.clientLines()).toEqual(['220 ready', SHUTDOWN]);
  });

  it('waits for a data channel being opened and its reply', () => {
    const session = greeted({ answerChannels: false });
    session.client('PASV\r\n');
    session.core.drain();
    expect(session.ended).toEqual([]);
    expect(session.waitingChannels).toHaveLength(1);
    session.core.channelFailed(new ProxyError('ERR_PORT_POOL_EXHAUSTED', 'no port'));
    expect(session.clientLines()).toEqual([
      '220 ready',
      '425 Cannot open a passive data port.',
      SHUTDOWN,
    ]);
  });
});
