// Test images, made on the spot with the libvips command line (Debian's
// libvips-tools): each format at a chosen size, a JPEG carrying EXIF with
// an orientation and GPS coordinates, and a "pixel flood" PNG (a tiny file
// whose header claims a huge size).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chattwo-images-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

let serial = 0;

// A gradient picture `width` x `height` as `format` ('png', 'jpg', 'webp', 'gif').
export function makeImage(format, width, height, saveOptions = '') {
  serial += 1;
  const base = path.join(dir, `img-${serial}`);
  execFileSync('vips', ['xyz', `${base}-xyz.v`, String(width), String(height)]);
  execFileSync('vips', ['extract_band', `${base}-xyz.v`, `${base}-band.v`, '0']);
  execFileSync('vips', ['cast', `${base}-band.v`, `${base}-u8.v`, 'uchar']);
  const out = `${base}.${format}`;
  execFileSync('vips', ['copy', `${base}-u8.v`, `${out}${saveOptions}`]);
  return fs.readFileSync(out);
}

// EXIF (little-endian TIFF) with Orientation and a GPS latitude, inserted
// as an APP1 segment right after the JPEG's SOI marker.
export function withExifOrientationAndGps(jpeg, orientation = 6) {
  const tiff = Buffer.alloc(92);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);                      // IFD0 at 8
  tiff.writeUInt16LE(2, 8);                      // two entries
  entry(tiff, 10, 0x0112, 3, 1, orientation);    // Orientation, SHORT
  entry(tiff, 22, 0x8825, 4, 1, 38);             // GPS IFD pointer, LONG
  tiff.writeUInt32LE(0, 34);                     // no next IFD
  tiff.writeUInt16LE(2, 38);                     // GPS IFD: two entries
  tiff.writeUInt16LE(0x0001, 40); tiff.writeUInt16LE(2, 42); tiff.writeUInt32LE(2, 44); tiff.write('N\0', 48, 'latin1');
  entry(tiff, 52, 0x0002, 5, 3, 68);             // GPSLatitude: 3 RATIONALs at 68
  tiff.writeUInt32LE(0, 64);
  [[37, 1], [33, 1], [1234, 100]].forEach(([n, d], i) => { tiff.writeUInt32LE(n, 68 + 8 * i); tiff.writeUInt32LE(d, 72 + 8 * i); });
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

function entry(buf, at, tag, type, count, value) {
  buf.writeUInt16LE(tag, at);
  buf.writeUInt16LE(type, at + 2);
  buf.writeUInt32LE(count, at + 4);
  if (type === 3) buf.writeUInt16LE(value, at + 8); else buf.writeUInt32LE(value, at + 8);
}

// A PNG of one pixel whose IHDR claims `width` x `height` (CRC fixed up).
export function pixelFloodPng(width = 60000, height = 60000) {
  const png = Buffer.from(makeImage('png', 1, 1));
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('unexpected PNG layout');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
