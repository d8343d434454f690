import { RecordBatchFileWriter, type RecordBatch, type Schema } from "apache-arrow";

/**
 * apache-arrow's file writer, but handing over the bytes it writes instead of queueing them all
 * until they are read: `take()` returns what was written since the last call, so a caller can
 * write a batch's bytes out before giving it the next batch.
 */
class HandOverFileWriter extends RecordBatchFileWriter {
  #pieces: Uint8Array[] = [];

  protected override _write(chunk: ArrayBufferView): this {
    if (this._started && chunk.byteLength > 0) {
      this.#pieces.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this._position += chunk.byteLength;
    }
    return this;
  }

  take(): Uint8Array[] {
    const pieces = this.#pieces;
    this.#pieces = [];
    return pieces;
  }
}

/**
 * An Arrow IPC file of `schema` holding `batches`, as pieces of bytes produced batch by batch: the
 * next batch is asked for only once the consumer has taken the previous one's bytes, so memory
 * holds one batch whatever the file's size. The pieces are views of the batches' buffers.
 */
export async function* arrowFilePieces(schema: Schema, batches: AsyncIterable<RecordBatch>): AsyncGenerator<Uint8Array> {
  const writer = new HandOverFileWriter();
  // Start with the schema, so a stream without batches still makes a file that reads back.
  writer.reset(undefined, schema);
  yield* writer.take();
  for await (const batch of batches) {
    writer.write(batch);
    yield* writer.take();
  }
  writer.finish();
  yield* writer.take();
}
