/**
 * Admission control for one node [SEC-8]: connections per node and per
 * address, and growing delays after failed logins from one address [LOGIN-7].
 * Per-connection rates and deadlines live in the session; this is what
 * several connections share.
 *
 * @module
 */

/** Options of {@link Admission}; every field has a default sized for a 20,000-connection node. */
export interface AdmissionOptions {
  /** WebSocket connections this node accepts; more are refused with HTTP 503. [20000] */
  maxConnections: number;
  /**
   * Connections from one IP address; more are refused with HTTP 429. 0: no cap, for a node
   * behind a load balancer, where every connection comes from the balancer's address. [256]
   */
  maxConnectionsPerAddress: number;
  /** Time a client has to send the upgrade request's headers (slowloris), ms. [10000] */
  headersTimeoutMs: number;
  /**
   * Failed logins (wrong key, refused token) an address may have before its
   * logins are delayed; shared addresses (NAT) mistype too. [20]
   */
  freeLoginFailures: number;
  /** Delay after the first failed login past the free ones, ms; it doubles with each failure. [250] */
  loginFailureDelayMs: number;
  /** Longest delay after failed logins, ms. [30000] */
  maxLoginDelayMs: number;
}

export const DEFAULT_ADMISSION: Readonly<AdmissionOptions> = Object.freeze({
  maxConnections: 20_000,
  maxConnectionsPerAddress: 256,
  headersTimeoutMs: 10_000,
  freeLoginFailures: 20,
  loginFailureDelayMs: 250,
  maxLoginDelayMs: 30_000,
});

/** Failed logins of one address: how many in a row, and when the next login may come. */
interface Failures {
  count: number;
  until: number;
}

/** Addresses whose failures are forgotten after this long without a new one, ms. */
const FORGET_FAILURES_MS = 10 * 60_000;

export class Admission {
  private open = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly failures = new Map<string, Failures>();

  constructor(
    readonly options: Readonly<AdmissionOptions>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Connections open now. */
  get connections(): number {
    return this.open;
  }

  /** Takes a connection slot for `address`, or says why not as an HTTP status and text. */
  admit(address: string): [number, string] | undefined {
    if (this.open >= this.options.maxConnections) return [503, 'this server is full, try another node or later'];
    const count = this.perAddress.get(address) ?? 0;
    const cap = this.options.maxConnectionsPerAddress;
    if (cap > 0 && count >= cap) {
      return [429, `at most ${cap} connections per address`];
    }
    this.perAddress.set(address, count + 1);
    this.open++;
    return undefined;
  }

  /** Gives back the slot of a closed connection. */
  release(address: string): void {
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count > 0) this.perAddress.set(address, count);
    else this.perAddress.delete(address);
    this.open = Math.max(0, this.open - 1);
  }

  /** Milliseconds until `address` may try to log in again; 0 when it may now. */
  loginWait(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.until - this.now());
  }

  /** Records a refused login (wrong key, token refused): the next one waits twice as long. */
  loginFailed(address: string): void {
    const now = this.now();
    const entry = this.failures.get(address);
    const count = entry && now - entry.until < FORGET_FAILURES_MS ? entry.count + 1 : 1;
    const over = count - this.options.freeLoginFailures;
    const delay =
      over <= 0 ? 0 : Math.min(this.options.maxLoginDelayMs, this.options.loginFailureDelayMs * 2 ** (over - 1));
    this.failures.set(address, { count, until: now + delay });
    if (this.failures.size > 10_000) this.forgetOld(now);
  }

  private forgetOld(now: number): void {
    for (const [address, entry] of this.failures) {
      if (now - entry.until >= FORGET_FAILURES_MS) this.failures.delete(address);
    }
  }
}
