/**
 * Attachments (PROTOCOL.md §17): upload slots, streaming uploads, sniffing,
 * images, signed downloads, references and collection.
 *
 * @module
 */

export type { S3BlobStoreOptions } from './blobs/s3.js';
// stores
export type { BlobStore } from './blobs/types.js';
// error codes (until @kuykan/protocol has them)
export { FileErrorCode } from './codes.js';
export type { BlobRecord, FileIndex, FileRecord } from './index/types.js';
// names
export { MAX_NAME_CODE_POINTS, sanitizeName } from './names.js';
// options
export type { FileContext, FileOptions, ResolvedFileOptions } from './options.js';
export { DEFAULT_FILE_OPTIONS, resolveFileOptions } from './options.js';
// the service
export { FileService, UPLOAD_PATH } from './service.js';
export type {
  Attachment,
  AttachmentUrls,
  CollectReport,
  FileRef,
  FileUser,
  UploadRequest,
  UploadSlot,
} from './types.js';
export { messageRef } from './types.js';
