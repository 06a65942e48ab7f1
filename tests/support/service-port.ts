import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Linux's range for the local ports of outgoing connections (its default when unreadable). */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    if (low !== undefined && high !== undefined) return { low: Number(low), high: Number(high) };
  } catch {
    // not Linux, or no /proc
  }
  return { low: 32768, high: 60999 };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free loopback port chosen by the system (an ephemeral one): fine for a server that stays up. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/**
 * A free loopback port below the ephemeral range, for a server that is killed and restarted on the
 * same port: a port from `freePort()` is an ephemeral one, and while its server is down any outgoing
 * connection on the machine may take it as its local port, so the restart fails with EADDRINUSE.
 */
export async function freeServicePort(): Promise<number> {
  const { low } = ephemeralRange();
  const from = Math.min(20_000, low - 1000);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${low}`);
}
