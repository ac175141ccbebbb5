import { inflateSync } from 'node:zlib';

/**
 * Just enough of PNG to tell a rendered page from a blank or broken screenshot: the header, and
 * the pixels of 8-bit RGB or RGBA images without interlacing (what browsers write). Written here
 * because no PNG decoder is among the project's dependencies, and one function needs only this.
 */

export interface PngSummary {
  readonly width: number;
  readonly height: number;
  /** Distinct colours among the pixels. */
  readonly colours: number;
  /** Share of pixels (0–1) that differ from the most common colour (the background). */
  readonly inked: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

export function summarizePng(png: Buffer): PngSummary {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (bad signature)');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (header === undefined) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType, , , interlace] = [header[8], header[9], header[10], header[11], header[12]];
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0)
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);

  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  const counts = new Map<number, number>();
  for (let row = 0; row < height; row += 1) {
    const start = row * (stride + 1);
    const filter = raw[start];
    const line = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
    for (let index = 0; index < stride; index += 1) {
      const left = index >= channels ? (line[index - channels] ?? 0) : 0;
      const up = previous[index] ?? 0;
      const upLeft = index >= channels ? (previous[index - channels] ?? 0) : 0;
      const predictor =
        filter === 1
          ? left
          : filter === 2
            ? up
            : filter === 3
              ? (left + up) >> 1
              : filter === 4
                ? paeth(left, up, upLeft)
                : 0;
      line[index] = ((line[index] ?? 0) + predictor) & 0xff;
    }
    for (let index = 0; index < stride; index += channels) {
      const colour = ((line[index] ?? 0) << 16) | ((line[index + 1] ?? 0) << 8) | (line[index + 2] ?? 0);
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
    }
    previous = line;
  }
  const background = Math.max(...counts.values());
  return { width, height, colours: counts.size, inked: 1 - background / (width * height) };
}
