import { VivaError } from '@viva/protocol/viva-error.js';

const MINUTE_MS = 60_000;
/** Past this many addresses tracked, addresses whose budget is whole again are forgotten. */
const PRUNE_ABOVE = 10_000;

interface Bucket {
  bytes: number;
  updatedAt: number;
}

/**
 * Bytes of audio each client address may send per minute, across its connections and HTTP uploads
 * (AUDIO_BYTES_PER_IP_PER_MINUTE): a token bucket per address, full at the start, refilled evenly over a
 * minute. It is charged before anything is decoded or sent to an inspection worker, so an address past
 * its budget costs the server a size check and an error, nothing more.
 */
export class AudioUploadBudget {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param bytesPerMinute the budget, bytes; also the most one address can send at once
   * @param now milliseconds clock (tests pass their own)
   */
  constructor(
    readonly bytesPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Charges `bytes` to `address`, or refuses with RATE_LIMITED (`retry_after_ms`: when the budget will
   * have room for this much again) and charges nothing.
   */
  charge(address: string, bytes: number): void {
    const now = this.now();
    const bucket = this.bucketOf(address, now);
    if (bytes <= bucket.bytes) {
      bucket.bytes -= bytes;
      return;
    }
    const missing = Math.min(bytes, this.bytesPerMinute) - bucket.bytes;
    const retryAfterMs = Math.ceil((missing / this.bytesPerMinute) * MINUTE_MS);
    throw new VivaError('RATE_LIMITED', `This address has sent more audio than the server takes in a minute. Send it again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
      details: { reason: 'audio_bytes_per_minute', limit_bytes_per_minute: this.bytesPerMinute, retry_after_ms: retryAfterMs },
    });
  }

  private bucketOf(address: string, now: number): Bucket {
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { bytes: this.bytesPerMinute, updatedAt: now };
      this.buckets.set(address, bucket);
      return bucket;
    }
    bucket.bytes = Math.min(this.bytesPerMinute, bucket.bytes + ((now - bucket.updatedAt) / MINUTE_MS) * this.bytesPerMinute);
    bucket.updatedAt = now;
    return bucket;
  }

  /** A full bucket is the same as no bucket: forget those. */
  private prune(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (now - bucket.updatedAt >= MINUTE_MS) this.buckets.delete(address);
    }
  }
}
