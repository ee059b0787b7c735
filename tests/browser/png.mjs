// A minimal PNG reader and writer for the browser tests: 8-bit RGB/RGBA, non-interlaced (what Chromium's screenshots are; what uploads need).
import {crc32, deflateSync, inflateSync} from 'node:zlib';

/** Decodes a PNG buffer into {width, height, channels, data} (data: unfiltered pixel bytes, row by row). */
export function decodePng(buf) {
    if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
    let off = 8;
    let width = 0, height = 0, channels = 0;
    const idat = [];
    while (off < buf.length) {
        const len = buf.readUInt32BE(off);
        const type = buf.toString('latin1', off + 4, off + 8);
        const body = buf.subarray(off + 8, off + 8 + len);
        if (type === 'IHDR') {
            width = body.readUInt32BE(0);
            height = body.readUInt32BE(4);
            const [depth, color, , , interlace] = body.subarray(8, 13);
            if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6)) {
                throw new Error(`unsupported PNG (depth ${depth}, colour type ${color}, interlace ${interlace})`);
            }
            channels = color === 6 ? 4 : 3;
        } else if (type === 'IDAT') {
            idat.push(body);
        } else if (type === 'IEND') {
            break;
        }
        off += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const data = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
        for (let i = 0; i < stride; i++) {
            const a = i >= channels ? data[y * stride + i - channels] : 0;
            const b = y > 0 ? data[(y - 1) * stride + i] : 0;
            const c = y > 0 && i >= channels ? data[(y - 1) * stride + i - channels] : 0;
            let pred = 0;
            if (filter === 1) pred = a;
            else if (filter === 2) pred = b;
            else if (filter === 3) pred = (a + b) >> 1;
            else if (filter === 4) {
                const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            data[y * stride + i] = (line[i] + pred) & 0xff;
        }
    }
    return {width, height, channels, data};
}

/** The mean [r, g, b] of a decoded image. */
export function meanRgb({width, height, channels, data}) {
    const sum = [0, 0, 0];
    for (let p = 0; p < width * height; p++) for (let k = 0; k < 3; k++) sum[k] += data[p * channels + k];
    return sum.map(s => Math.round(s / (width * height)));
}

export const hexToRgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
export const rgbDistance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** A real PNG of `width`×`height` filled with one colour [r, g, b]: an upload that any image reader accepts. */
export function encodePng(width, height, [r, g, b]) {
    const chunk = (type, body) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(body.length);
        const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(typed));
        return Buffer.concat([len, typed, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
    const raw = Buffer.concat(Array.from({length: height}, () => row));
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
