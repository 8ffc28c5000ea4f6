// A small ZIP writer (PKWARE APPNOTE 6.3, no ZIP64): entries are deflated or stored, names in UTF-8
// (general purpose bit 11), each local header followed by its data, then the central directory and
// the end record. It writes to a sink chunk by chunk, so a large package streams to the network with
// one entry in memory at a time; `zipToBuffer` collects a small one. Beyond 65,535 entries or 4 GiB
// the format needs ZIP64, which this writer refuses: callers cap their packages well below that.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive, with forward slashes; no leading slash, no `..`. */
  name: string;
  data: Buffer;
  /** Deflate (default) or store: already-compressed data (PDF, DOCX, images) gains nothing from deflating. */
  compress?: boolean;
}

/** Where the archive's bytes go, in order; the promise resolves when the sink takes more. */
export type ZipSink = (chunk: Buffer) => Promise<void> | void;

const MAX_OFFSET = 0xffffffff;
const MAX_ENTRIES = 0xffff;
const UTF8_NAMES = 0x0800;

interface CentralRecord {
  name: Buffer;
  crc: number;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

export class ZipWriter {
  private readonly records: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private finished = false;
  private readonly dosTime: number;
  private readonly dosDate: number;

  constructor(private readonly sink: ZipSink, modified: Date = new Date()) {
    // DOS dates hold local wall-clock time; the registry's wall clock is Vietnam's (UTC+7, no DST).
    const local = new Date(modified.getTime() + 7 * 3_600_000);
    const year = Math.max(1980, local.getUTCFullYear());
    this.dosTime = (local.getUTCHours() << 11) | (local.getUTCMinutes() << 5) | Math.floor(local.getUTCSeconds() / 2);
    this.dosDate = ((year - 1980) << 9) | ((local.getUTCMonth() + 1) << 5) | local.getUTCDate();
  }

  /** Bytes written so far. */
  get size(): number {
    return this.offset;
  }

  async add(entry: ZipEntry): Promise<void> {
    if (this.finished) throw new Error('zip: add after finish');
    assertSafeName(entry.name);
    if (this.names.has(entry.name)) throw new Error(`zip: duplicate entry ${entry.name}`);
    if (this.records.length >= MAX_ENTRIES) throw new Error('zip: too many entries (ZIP64 is not written)');
    this.names.add(entry.name);
    const name = Buffer.from(entry.name.normalize('NFC'), 'utf8');
    const crc = crc32(entry.data);
    let method = 0;
    let body = entry.data;
    if (entry.compress !== false && entry.data.length > 0) {
      const deflated = deflateRawSync(entry.data, { level: 6 });
      if (deflated.length < entry.data.length) {
        method = 8;
        body = deflated;
      }
    }
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    header.writeUInt16LE(UTF8_NAMES, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(this.dosTime, 10);
    header.writeUInt16LE(this.dosDate, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(entry.data.length, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    const record: CentralRecord = { name, crc, method, compressedSize: body.length, size: entry.data.length, offset: this.offset };
    if (this.offset + header.length + name.length + body.length > MAX_OFFSET || entry.data.length > MAX_OFFSET) throw new Error('zip: over 4 GiB (ZIP64 is not written)');
    this.records.push(record);
    await this.write(header);
    await this.write(name);
    await this.write(body);
  }

  /** Writes the central directory and the end record; nothing may be added afterwards. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const start = this.offset;
    for (const record of this.records) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(UTF8_NAMES, 8);
      header.writeUInt16LE(record.method, 10);
      header.writeUInt16LE(this.dosTime, 12);
      header.writeUInt16LE(this.dosDate, 14);
      header.writeUInt32LE(record.crc, 16);
      header.writeUInt32LE(record.compressedSize, 20);
      header.writeUInt32LE(record.size, 24);
      header.writeUInt16LE(record.name.length, 28);
      header.writeUInt16LE(0, 30); // extra
      header.writeUInt16LE(0, 32); // comment
      header.writeUInt16LE(0, 34); // disk
      header.writeUInt16LE(0, 36); // internal attributes
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: a regular file, rw-r--r--
      header.writeUInt32LE(record.offset, 42);
      await this.write(header);
      await this.write(record.name);
    }
    const size = this.offset - start;
    if (this.offset > MAX_OFFSET) throw new Error('zip: over 4 GiB (ZIP64 is not written)');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    end.writeUInt16LE(0, 20);
    await this.write(end);
  }

  private async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.offset += chunk.length;
    await this.sink(chunk);
  }
}

/** A whole archive in memory: for small ones (a Word document, one nomination's package). */
export async function zipToBuffer(entries: readonly ZipEntry[], modified?: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const writer = new ZipWriter((chunk) => {
    chunks.push(chunk);
  }, modified);
  for (const entry of entries) await writer.add(entry);
  await writer.finish();
  return Buffer.concat(chunks);
}

function assertSafeName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '.' || part === '') || /[\u0000-\u001f]/.test(name)) {
    throw new Error(`zip: unsafe entry name ${JSON.stringify(name)}`);
  }
  if (Buffer.byteLength(name, 'utf8') > 0xffff) throw new Error('zip: entry name too long');
}
