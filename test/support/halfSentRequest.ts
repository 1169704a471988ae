import { connect, type Socket } from 'node:net';

/**
 * A client that sends half a request to the HTTP port and no more: the headers never end, as
 * from a stalled browser or a port scanner. Resolves once the server has had time to take it in.
 */
export async function halfSentRequest(port: number): Promise<Socket> {
  const client = connect(port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  client.write('GET /api/status HTTP/1.1\r\nHost: gw\r\n');
  await new Promise((r) => setTimeout(r, 300));
  return client;
}
