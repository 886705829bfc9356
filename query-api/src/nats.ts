import { connect, type NatsConnection } from 'nats';

/**
 * query-api's NATS connection: waits for the server at start and reconnects for ever after,
 * every `reconnectMs`. While it is away the live hub reads live_updates instead (LiveHub).
 */
export function connectNats(url: string, reconnectMs = 1000): Promise<NatsConnection> {
  return connect({ servers: url, name: 'reeltime-query-api', waitOnFirstConnect: true, maxReconnectAttempts: -1, reconnectTimeWait: reconnectMs });
}
