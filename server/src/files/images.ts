/**
 * Image processing at upload (sharp): dimensions, a pixel limit against
 * decompression bombs, a re-encoded original without EXIF, GPS or XMP
 * (oriented first, animation kept), and a WebP thumbnail of the first frame.
 *
 * @module
 */

import { stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { FileErrorCode, fileError } from './codes.js';

/** What processing an image produced: the files are in the spool directory. */
export interface ProcessedImage {
  /** The re-encoded original. */
  path: string;
  size: number;
  width: number;
  height: number;
  thumbPath: string;
  thumbSize: number;
}

export interface ImageLimits {
  /** Most pixels decoded (width × height × frames). */
  maxPixels: number;
  /** Longest side of a thumbnail. */
  thumbSize: number;
}

/** How each raster type is re-encoded: same format, high quality (AVIF at low effort: its encoder is slow). */
const ENCODERS: Readonly<Record<string, (image: Sharp) => Sharp>> = {
  'image/png': (image) => image.png({ compressionLevel: 6 }),
  'image/jpeg': (image) => image.jpeg({ quality: 90 }),
  'image/gif': (image) => image.gif(),
  'image/webp': (image) => image.webp({ quality: 90 }),
  'image/avif': (image) => image.avif({ quality: 70, effort: 2 }),
};

/**
 * Processes the raster image at `input` (of sniffed `type`) into `output`
 * and `thumbOutput`. Undefined when sharp cannot decode it (it is then kept
 * as a plain file); throws UPLOAD_INVALID when it has too many pixels.
 */
export async function processImage(
  input: string,
  type: string,
  output: string,
  thumbOutput: string,
  limits: ImageLimits,
): Promise<ProcessedImage | undefined> {
  const encode = ENCODERS[type];
  if (!encode) return undefined;
  const options = { limitInputPixels: limits.maxPixels, failOn: 'error' as const };
  let metadata: Metadata;
  try {
    // Header only: sharp's own pixel limit would refuse here too, but as "undecodable" rather than a bomb.
    metadata = await sharp(input, { animated: true, limitInputPixels: false }).metadata();
  } catch {
    return undefined;
  }
  // The header's dimensions, checked before any pixel is decoded: a bomb declares them honestly.
  const pixels = metadata.width * metadata.height;
  if (!(pixels > 0) || pixels > limits.maxPixels) {
    throw fileError(
      FileErrorCode.UPLOAD_INVALID,
      `the image is ${metadata.width}×${metadata.height}${(metadata.pages ?? 1) > 1 ? ` in ${metadata.pages} frames` : ''} pixels; the limit is ${limits.maxPixels} pixels`,
    );
  }
  const animated = (metadata.pages ?? 1) > 1;
  try {
    // No withMetadata(): sharp writes no EXIF, XMP or IPTC unless asked; autoOrient applies the EXIF orientation first.
    const info = await encode(sharp(input, { ...options, animated }).autoOrient()).toFile(output);
    const thumb = await sharp(input, options)
      .autoOrient()
      .resize(limits.thumbSize, limits.thumbSize, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toFile(thumbOutput);
    return {
      path: output,
      size: (await stat(output)).size,
      width: info.width,
      height: animated ? (info.pageHeight ?? metadata.pageHeight ?? info.height) : info.height,
      thumbPath: thumbOutput,
      thumbSize: thumb.size,
    };
  } catch {
    // Undecodable pixel data (truncated, corrupt): keep it as a plain file.
    return undefined;
  }
}
