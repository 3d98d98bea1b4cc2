export type {
  ApiKey,
  ArtifactFormat,
  ArtifactMetadata,
  AuditAction,
  AuditEntry,
  AuditList,
  AuditQuery,
  Budget,
  BudgetPeriod,
  BudgetRequest,
  CreatedKey,
  CreateKeyRequest,
  CreateModelRequest,
  ErrorCode,
  GgufMetadata,
  Model,
  ModelTask,
  ModelVersion,
  OnnxMetadata,
  Price,
  PriceRequest,
  Project,
  RotateKeyRequest,
  Scope,
  TensorInfo,
  UsageBucket,
  UsageQuery,
  UsageReport,
  VersionConfig,
} from '@modelport/contracts';
export { type Health, Modelport, type ModelportOptions } from './client.js';
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  ConnectionTimeoutError,
  InternalServerError,
  InvalidResponseError,
  ModelportError,
  type ModelportErrorCode,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.js';
export type { VersionRef } from './paths.js';
export type { Alias } from './resources/aliases.js';
export type { DownloadResult } from './resources/download-artifact.js';
export type { UploadOptions } from './resources/upload-version.js';
export type { UploadSource } from './upload-source.js';
