import { describe, expect, it } from 'vitest';
import { startFailure } from './embedded.js';

describe('why the embedded PostgreSQL did not start', () => {
  it('names the port and the setting when the port is taken', () => {
    const message = startFailure(54329, ['LOG:  starting PostgreSQL 15', 'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use', 'FATAL:  could not create any TCP/IP sockets']);
    expect(message).toBe('the embedded PostgreSQL could not listen on 127.0.0.1:54329: the port is in use. Stop what uses it, or choose another port with CATALYST_PG_PORT.');
  });

  it('quotes its last fatal lines otherwise, and says so when it printed none', () => {
    expect(startFailure(1, ['LOG:  starting', 'FATAL:  data directory "/x/pg" has invalid permissions'])).toBe('the embedded PostgreSQL did not start: FATAL:  data directory "/x/pg" has invalid permissions');
    expect(startFailure(1, [])).toBe('the embedded PostgreSQL did not start (it printed no reason)');
  });
});
