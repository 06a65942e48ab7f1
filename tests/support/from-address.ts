/**
 * The bindings @hono/node-server hands a request arriving from `address`, for in-process
 * `app.request(path, init, fromAddress(address))` calls (all that getConnInfo reads).
 */
export const fromAddress = (address: string) => ({
  incoming: {
    socket: {
      remoteAddress: address,
      remotePort: 40_000,
      remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4',
    },
  },
});
