const LF = 10;

/**
 * Blocks of whole lines from byte chunks cut anywhere (a file read in slices, a download, an
 * inflated zip entry). A chunk's complete lines are passed on as they are, without a copy; only
 * the piece of a line that runs into the next chunk is carried over. Each block is valid until
 * the next one is asked for. The last block may end without a line feed.
 */
export async function* lineBlocks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry = new Uint8Array(1 << 16);
  let carried = 0;
  const keep = (bytes: Uint8Array) => {
    if (carried + bytes.length > carry.length) {
      const grown = new Uint8Array(Math.max(carry.length * 2, carried + bytes.length));
      grown.set(carry.subarray(0, carried));
      carry = grown;
    }
    carry.set(bytes, carried);
    carried += bytes.length;
  };
  for await (const chunk of chunks) {
    const lastLine = chunk.lastIndexOf(LF);
    if (lastLine < 0) {
      keep(chunk);
      continue;
    }
    if (carried === 0) {
      yield chunk.subarray(0, lastLine + 1);
    } else {
      keep(chunk.subarray(0, lastLine + 1));
      yield carry.subarray(0, carried);
      carried = 0;
    }
    keep(chunk.subarray(lastLine + 1));
  }
  if (carried > 0) yield carry.subarray(0, carried);
}
