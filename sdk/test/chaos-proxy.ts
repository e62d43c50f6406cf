/** A TCP proxy in front of a server that can cut every connection at once, abruptly. */
import net from 'node:net';

export class ChaosProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** Connections cut so far. */
  cuts = 0;

  private constructor(server: net.Server) {
    this.server = server;
  }

  static async start(targetPort: number): Promise<ChaosProxy> {
    const server = net.createServer();
    const proxy = new ChaosProxy(server);
    server.on('connection', (client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      const pair: [net.Socket, net.Socket] = [client, upstream];
      proxy.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Cuts every open connection without a closing handshake (like a network failure). */
  cutAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
      this.cuts++;
    }
    this.pairs.clear();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
