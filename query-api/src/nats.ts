import { connect, type NatsConnection } from 'nats';

/**
 * query-api's NATS connection: waits for the server at start and reconnects for ever after,
 * every `reconnectMs`. While it is away the live hub reads live_updates instead (LiveHub).
 */
export function connectNats(url: string, reconnectMs = 1000): Promise<NatsConnection> {
  // Pings every 10 s: a server gone without closing the connection is noticed within ~30 s.
  return connect({
    servers: url,
    name: 'reeltime-query-api',
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: reconnectMs,
    pingInterval: 10_000,
    maxPingOut: 2,
  });
}
