/**
 * A small server-sent events client for tests over a real socket (fetch + a stream reader): it keeps
 * every frame it got, counts comment lines, and lets a test wait for a frame or for the stream's end.
 */
import { expect } from 'vitest';

/** One frame of the stream (comment-only frames are counted, not kept). */
export interface SseFrame {
  event: string;
  id: string | null;
  retry: number | null;
  data: string;
}

export class SseClient {
  readonly frames: SseFrame[] = [];
  comments = 0;
  /** Settles when the server ended the stream (or the connection broke). */
  readonly ended: Promise<void>;
  private waiters: (() => void)[] = [];
  private readonly abort = new AbortController();
  private done = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
  ) {
    this.ended = this.pump(body);
  }

  /** Connects; the response status and headers are there once this resolves. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(res.status, res.headers, res.body);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    return client;
  }

  private async pump(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      // aborted by close(), or the connection broke
    } finally {
      this.done = true;
      this.wake();
    }
  }

  private parse(block: string): void {
    const frame: SseFrame = { event: 'message', id: null, retry: null, data: '' };
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields++;
      if (name === 'event') frame.event = value;
      else if (name === 'id') frame.id = value;
      else if (name === 'retry') frame.retry = Number(value);
      else if (name === 'data') frame.data = frame.data ? `${frame.data}\n${value}` : value;
    }
    if (fields > 0) this.frames.push(frame);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The `data` (parsed) of the events named `event`, in order. */
  events<T = Record<string, unknown>>(event: string): T[] {
    return this.frames.filter((f) => f.event === event).map((f) => JSON.parse(f.data) as T);
  }

  /** Waits until `ok()` holds; fails the test after `timeoutMs` with what arrived. */
  async until(ok: () => boolean, timeoutMs = 10_000, what = 'a frame'): Promise<void> {
    const t0 = Date.now();
    while (!ok()) {
      if (this.done) expect.fail(`the stream ended before ${what}; frames: ${JSON.stringify(this.frames)}`);
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) expect.fail(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the `n`-th (1-based) event named `event` and returns its data. */
  async nth<T = Record<string, unknown>>(event: string, n: number, timeoutMs = 10_000): Promise<T> {
    await this.until(() => this.events(event).length >= n, timeoutMs, `event ${event} #${n}`);
    return this.events<T>(event)[n - 1];
  }

  /** Whether the stream has ended. */
  get isEnded(): boolean {
    return this.done;
  }

  /** Closes the connection from the client side. */
  close(): void {
    this.abort.abort();
  }
}
