/**
 * Prometheus metrics of one server instance (a registry per instance, so
 * several servers can run in one process).
 *
 * @module
 */

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({
    name: 'kuykan_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly rooms = new Gauge({ name: 'kuykan_rooms', help: 'Rooms loaded on this node', registers: [this.registry] });
  readonly framesIn = new Counter({
    name: 'kuykan_frames_in_total',
    help: 'Frames received, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly framesOut = new Counter({
    name: 'kuykan_frames_out_total',
    help: 'Frames sent, by type; each recipient of a message fan-out counts once',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'kuykan_errors_total',
    help: 'Error frames sent, by protocol error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly sendToAck = new Histogram({
    name: 'kuykan_send_ack_seconds',
    help: 'Time from receiving a send to sending its ack',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: 'kuykan_store_seconds',
    help: 'History store call latency, by operation',
    labelNames: ['op'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: 'kuykan_closes_total',
    help: 'Connections closed by the server, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  /** Times a store call. */
  async timeStore<T>(op: string, call: () => Promise<T>): Promise<T> {
    const end = this.storeLatency.startTimer({ op });
    try {
      return await call();
    } finally {
      end();
    }
  }
}
