/**
 * A v2 server that keeps files, for the terminal's file tests: the SDK's
 * scripted server (sdk/test/fake-server.ts, real WebSockets and codec) with
 * upload slots (§17), a PUT endpoint that can hold the bytes back (so
 * progress can be seen half way), and sends that attach the uploaded files.
 *
 * It does what the reference server cannot be made to do on cue: hold an
 * upload half way, and play a hostile server, posting files with any name
 * and type (the reference server cleans names up).
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attachment, ChatMessage, ClientFrame } from '@kuykan/protocol';
import { type FakeConnection, FakeServer } from '../../../sdk/test/fake-server.js';

interface Slot {
  name: string;
  size: number;
  mediaType: string;
}

export class FileServer {
  readonly #slots = new Map<string, Slot>();
  readonly #files = new Map<string, Attachment>();
  #held = false;
  readonly #waiting: Array<() => void> = [];
  /** Bytes each PUT received so far, by slot token. */
  readonly received = new Map<string, number>();

  private constructor(
    readonly fake: FakeServer,
    private readonly http: Server,
  ) {}

  static async start(): Promise<FileServer> {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    let self: FileServer | undefined;
    const fake = await FakeServer.start({
      version: 2,
      capabilities: ['resume', 'files'],
      server: http,
      onFrame: (frame, connection) => self?.onFrame(frame, connection),
    });
    self = new FileServer(fake, http);
    // A client that cancels its upload breaks the request off: nothing to answer then.
    http.on('request', (request, response) => self.put(request, response).catch(() => response.destroy()));
    return self;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** While held, PUT bodies are not read: the client's progress stops where the socket is full. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  /** Posts a message with files to `room` as `from` (a hostile server can name files anything). */
  post(room: string, from: string, attachments: Attachment[], text = ''): ChatMessage {
    const { entry } = this.fake.log.commit(from, {
      type: 'send',
      id: 0,
      room,
      clientId: `post-${Math.random()}`,
      text,
    });
    entry!.attachments = attachments;
    this.deliver(room, entry!);
    return entry!;
  }

  close(): Promise<void> {
    this.release();
    return this.fake.close().then(() => new Promise<void>((resolve) => this.http.close(() => resolve())));
  }

  private deliver(room: string, entry: ChatMessage): void {
    for (const member of this.fake.connections)
      if (member.rooms.has(room) && member.closeCode === undefined) member.send({ type: 'message', room, ...entry });
  }

  private onFrame(frame: ClientFrame, connection: FakeConnection): boolean {
    if (frame.type === 'upload') {
      const token = `slot-${this.#slots.size + 1}`;
      this.#slots.set(token, { name: frame.name, size: frame.size, mediaType: frame.mediaType });
      connection.send({
        type: 'uploadSlot',
        id: frame.id,
        url: `/files/upload/${token}`,
        token,
        expires: Date.now() + 60_000,
      });
      return true;
    }
    if (frame.type === 'send' && frame.files?.length) {
      const { files, ...send } = frame;
      const { ack, entry } = this.fake.log.commit(connection.name ?? 'anonymous', send);
      if (entry) {
        entry.attachments = files.flatMap((id) => this.#files.get(id) ?? []);
        this.deliver(frame.room, entry);
      }
      connection.send({ ...ack, id: frame.id });
      return true;
    }
    return false;
  }

  private async put(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const slot = this.#slots.get(token);
    if (request.method !== 'PUT' || !slot) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"code":203,"message":"no such slot"}');
      return;
    }
    let received = 0;
    for await (const chunk of request) {
      // Not reading on: the socket's buffers fill and the client stops sending.
      if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      received += (chunk as Buffer).length;
      this.received.set(token, received);
    }
    const fileId = `f${this.#files.size + 1}`;
    const file: Attachment = {
      fileId,
      name: slot.name,
      size: received,
      mediaType: slot.mediaType,
      url: `/files/${fileId}?sig=0123456789abcdef`,
    };
    this.#files.set(fileId, file);
    response
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ fileId, name: slot.name, size: received, mediaType: slot.mediaType, thumb: false }));
  }
}
