import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { isPtgwError } from '../core/errors.js';
import { RepeatedFailures } from '../core/repeatedFailures.js';
import type { ByteStream, DeviceTarget, OpenDevice } from './ByteStream.js';
import { FrameClassifier, type InputEvent } from './FrameClassifier.js';
import { FrameDecoder } from './FrameDecoder.js';
import type { DeviceProfile } from './profileSchema.js';
import { ReplyRenderer } from './ReplyRenderer.js';

export interface DeviceStatus {
  id: string;
  transport: DeviceProfile['transport'];
  connected: boolean;
  lastFrameAt: number | undefined;
  /** Frames dropped as too long, undecodable or not matching any pattern, plus failed opens and writes. */
  errors: number;
  lastError: string | undefined;
  frames: number;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/**
 * A display line takes tens of ms even at 9600 baud. A write still not done after this is stuck (a
 * device server that stopped reading, a wedged port) and would hold the terminal's dialog with it.
 */
const WRITE_TIMEOUT_MS = 5000;
/** A link that stayed up this long, or carried a frame, was a good one: the next loss retries after 1 s again. */
const STABLE_MS = 10_000;

/**
 * One configured device, kept open: framing and classification per its profile, replies rendered
 * for its display, and reconnection with backoff (1 s doubling to 30 s) whenever it fails to open
 * or goes away. Emits 'input' (InputEvent) for the terminal it is bound to.
 */
export class DeviceConnection extends EventEmitter {
  readonly status: DeviceStatus;
  readonly #profile: DeviceProfile;
  readonly #target: DeviceTarget;
  readonly #open: OpenDevice;
  readonly #log: Logger;
  readonly #classifier: FrameClassifier;
  readonly #renderer: ReplyRenderer | undefined;
  readonly #now: () => number;
  readonly #writeTimeoutMs: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  #decoder: FrameDecoder;
  #stream: ByteStream | undefined;
  #backoff: number;
  #connectedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  /** A failure that goes on (a port unplugged for months, retried every 30 s) is logged once, then once an hour. */
  readonly #failures = new RepeatedFailures();
  #stopped = false;
  #countedStats = { oversized: 0, undecodable: 0 };

  constructor(options: {
    id: string;
    profile: DeviceProfile;
    target: DeviceTarget;
    open: OpenDevice;
    logger: Logger;
    now?: () => number;
    writeTimeoutMs?: number;
    /** Reconnection pacing; default 1 s doubling to 30 s. */
    backoffMs?: { min: number; max: number };
  }) {
    super();
    this.#writeTimeoutMs = options.writeTimeoutMs ?? WRITE_TIMEOUT_MS;
    this.#minBackoffMs = options.backoffMs?.min ?? MIN_BACKOFF_MS;
    this.#maxBackoffMs = options.backoffMs?.max ?? MAX_BACKOFF_MS;
    this.#backoff = this.#minBackoffMs;
    this.#profile = options.profile;
    this.#target = options.target;
    this.#open = options.open;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger.child({ module: 'device', device: options.id });
    this.#classifier = new FrameClassifier(options.profile.input);
    this.#renderer = options.profile.output === undefined ? undefined : new ReplyRenderer(options.profile.output);
    this.#decoder = this.#newDecoder();
    this.status = { id: options.id, transport: options.profile.transport, connected: false, lastFrameAt: undefined, errors: 0, lastError: undefined, frames: 0 };
  }

  get hasDisplay(): boolean {
    return this.#renderer !== undefined;
  }

  start(): void {
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#stableTimer);
    await this.#stream?.close();
  }

  /**
   * Renders and writes a reply; a device without a display ignores it. Never throws, and never
   * waits longer than the write timeout: a failed write is counted, a stuck one also reopens the device.
   */
  async send(reply: Parameters<ReplyRenderer['render']>[0]): Promise<void> {
    const stream = this.#stream;
    if (this.#renderer === undefined || stream === undefined) return;
    const line = this.#renderer.render(reply);
    const bytes = Buffer.from(line + this.#profile.delimiter, this.#profile.encoding === 'utf8' ? 'utf8' : 'latin1');
    // Guarded: the hex of every frame would be made for nothing at the usual level.
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ frame: bytes.toString('hex') }, 'write');
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), this.#writeTimeoutMs)));
    try {
      if ((await Promise.race([stream.write(bytes), stuck])) === 'stuck') {
        this.#error(`a reply was still not written after ${this.#writeTimeoutMs / 1000} s; reopening the device`);
        void stream.close();
      }
    } catch (err) {
      this.#error(`write failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #newDecoder(): FrameDecoder {
    return new FrameDecoder({ delimiter: this.#profile.delimiter, maxFrameLength: this.#profile.maxFrameLength, encoding: this.#profile.encoding });
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    let stream: ByteStream;
    try {
      stream = await this.#open(this.#target);
    } catch (err) {
      this.#error((err as Error).message);
      // A device that cannot exist on this machine (no HID support) is reported, not retried in a tight loop.
      this.#retry(isPtgwError(err, 'DEVICE_UNAVAILABLE') ? this.#maxBackoffMs : undefined);
      return;
    }
    if (this.#stopped) {
      await stream.close();
      return;
    }
    this.#stream = stream;
    this.#decoder = this.#newDecoder();
    this.#countedStats = { oversized: 0, undecodable: 0 };
    // The backoff is not reset here: a device server that accepts and drops at once would be retried every second for ever.
    this.#connectedAt = this.#now();
    this.status.connected = true;
    if (this.#failures.count === 0) this.#log.info('connected');
    else {
      // Amid failures (a link that drops at once, say) a reconnect is not news yet: it is, once it holds.
      this.#log.debug('connected');
      this.#stableTimer = setTimeout(() => this.#works(), STABLE_MS);
      this.#stableTimer.unref();
    }
    stream.on('data', (chunk) => this.#onData(chunk));
    stream.once('close', (err) => {
      clearTimeout(this.#stableTimer);
      this.#stream = undefined;
      this.status.connected = false;
      if (this.#stopped) return;
      if (this.#now() - this.#connectedAt >= STABLE_MS) this.#works();
      this.#error(`connection lost${err === undefined ? '' : `: ${err.message}`}`);
      this.#retry();
    });
    this.emit('connected');
  }

  #retry(delay?: number): void {
    if (this.#stopped) return;
    const wait = delay ?? this.#backoff;
    this.#backoff = Math.min(this.#maxBackoffMs, this.#backoff * 2);
    this.#timer = setTimeout(() => void this.#connect(), wait);
  }

  #onData(chunk: Buffer): void {
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ frame: chunk.toString('hex') }, 'read');
    const frames = this.#decoder.push(chunk);
    const s = this.#decoder.stats;
    const dropped = s.oversized - this.#countedStats.oversized + (s.undecodable - this.#countedStats.undecodable);
    if (dropped > 0) {
      this.#countedStats = { oversized: s.oversized, undecodable: s.undecodable };
      this.#error(`${dropped} frame(s) dropped (too long or not ${this.#profile.encoding})`, 'debug');
    }
    if (frames.length > 0) this.#works();
    for (const frame of frames) {
      this.status.frames++;
      this.status.lastFrameAt = this.#now();
      const event: InputEvent = this.#classifier.classify(frame);
      if (event.type === 'unrecognised') {
        this.#error('a frame matched no pattern of the profile', 'debug');
        continue;
      }
      if (event.type !== 'heartbeat') this.emit('input', event);
    }
  }

  /** The link proved good (it carried a frame, or held): the next loss retries after the shortest wait, and is news again. */
  #works(): void {
    clearTimeout(this.#stableTimer);
    this.#backoff = this.#minBackoffMs;
    if (this.#failures.count === 0) return;
    const failures = this.#failures.end();
    this.#log.info({ failures }, `connected, and working again after ${failures} failure(s)`);
  }

  /**
   * Every failure is counted (status, metrics); the log gets the first of each kind, then one an
   * hour while it repeats. Line noise is logged at debug only, so a babbling device cannot flood the journal.
   */
  #error(message: string, level: 'warn' | 'debug' = 'warn'): void {
    this.status.errors++;
    this.status.lastError = message;
    this.emit('device-error', message);
    if (level === 'debug') {
      this.#log.debug(message);
      return;
    }
    const line = this.#failures.logLine(message, this.#now());
    if (line !== undefined) this.#log.warn(line.fields, line.text);
  }
}
