/**
 * The Kafka wire types the local broker needs (kafka.apache.org/protocol#protocol_types), written
 * from the protocol guide: big-endian INT8/16/32/64, STRING (INT16 length), the "compact" forms of
 * flexible versions (UNSIGNED_VARINT length + 1, 0 = null) and TAG_BUFFER. Independent of the
 * client's own codec on purpose: tests decode this broker's bytes with the client's parsers, so a
 * mistake on either side shows.
 */

class KafkaReader {
  #offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.#offset;
  }

  int8(): number {
    return this.buffer.readInt8(this.#advance(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.#advance(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.#advance(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.#advance(8));
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.#advance(1));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error('varint longer than 5 bytes');
  }

  /** STRING / NULLABLE_STRING (INT16 length, −1 = null). */
  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.buffer.toString('utf8', this.#advance(length), this.#offset);
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING. */
  compactString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.buffer.toString('utf8', this.#advance(length), this.#offset);
  }

  bytes(): Buffer {
    const length = this.int32();
    return this.buffer.subarray(this.#advance(length), this.#offset);
  }

  compactBytes(): Buffer {
    const length = this.uvarint() - 1;
    return this.buffer.subarray(this.#advance(Math.max(length, 0)), this.#offset);
  }

  array<T>(item: (reader: this) => T): T[] | null {
    const length = this.int32();
    return length < 0 ? null : Array.from({ length }, () => item(this));
  }

  compactArray<T>(item: (reader: this) => T): T[] | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : Array.from({ length }, () => item(this));
  }

  /** Skips a TAG_BUFFER: this broker understands no tagged fields. */
  tags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.#advance(this.uvarint());
    }
  }

  uuid(): Buffer {
    return this.buffer.subarray(this.#advance(16), this.#offset);
  }

  #advance(length: number): number {
    const start = this.#offset;
    if (start + length > this.buffer.length) throw new RangeError(`read past the end of a ${this.buffer.length}-byte request`);
    this.#offset += length;
    return start;
  }
}

class KafkaWriter {
  readonly #chunks: Buffer[] = [];

  int8(value: number): this {
    return this.#push(1, (b) => b.writeInt8(value));
  }

  int16(value: number): this {
    return this.#push(2, (b) => b.writeInt16BE(value));
  }

  int32(value: number): this {
    return this.#push(4, (b) => b.writeInt32BE(value));
  }

  int64(value: bigint): this {
    return this.#push(8, (b) => b.writeBigInt64BE(value));
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uvarint(value: number): this {
    const bytes: number[] = [];
    let rest = value >>> 0;
    while (rest >= 0x80) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    this.#chunks.push(Buffer.from(bytes));
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }

  compactString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const bytes = Buffer.from(value, 'utf8');
    this.uvarint(bytes.length + 1);
    this.#chunks.push(bytes);
    return this;
  }

  compactBytes(value: Buffer): this {
    this.uvarint(value.length + 1);
    this.#chunks.push(value);
    return this;
  }

  array<T>(items: readonly T[], item: (writer: this, value: T) => void): this {
    this.int32(items.length);
    for (const value of items) item(this, value);
    return this;
  }

  compactArray<T>(items: readonly T[], item: (writer: this, value: T) => void): this {
    this.uvarint(items.length + 1);
    for (const value of items) item(this, value);
    return this;
  }

  /** An empty TAG_BUFFER. */
  tags(): this {
    return this.uvarint(0);
  }

  uuid(value: Buffer = Buffer.alloc(16)): this {
    this.#chunks.push(value);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #push(size: number, write: (buffer: Buffer) => void): this {
    const buffer = Buffer.alloc(size);
    write(buffer);
    this.#chunks.push(buffer);
    return this;
  }
}

export { KafkaReader, KafkaWriter };
