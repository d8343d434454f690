import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";

type GetOptions = Parameters<AsyncReadable["get"]>[1];

/** Reads so far through a counted store: how many keys, and how many bytes they returned. */
export interface ReadCount {
  reads: number;
  bytesRead: number;
}

/**
 * A store that tells `onRead` (while it is set) about every read: opening a trace over a slow
 * link reads many small metadata files, and the user should see that it is moving.
 */
export class CountedStore implements AsyncReadable {
  onRead?: (count: ReadCount) => void;
  readonly #count: ReadCount = { reads: 0, bytesRead: 0 };
  readonly getRange?: (key: AbsolutePath, range: RangeQuery, options?: GetOptions) => Promise<Uint8Array | undefined>;

  constructor(private readonly inner: AsyncReadable) {
    const getRange = inner.getRange?.bind(inner);
    if (getRange) this.getRange = async (key, range, options) => this.#note(await getRange(key, range, options));
  }

  async get(key: AbsolutePath, options?: GetOptions): Promise<Uint8Array | undefined> {
    return this.#note(await this.inner.get(key, options));
  }

  #note(bytes: Uint8Array | undefined): Uint8Array | undefined {
    this.#count.reads++;
    this.#count.bytesRead += bytes?.byteLength ?? 0;
    this.onRead?.({ ...this.#count });
    return bytes;
  }
}
