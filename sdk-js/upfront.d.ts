// Types for the Upfront browser SDK, /sdk/upfront.js. Option names follow @imagekit/javascript 5.

/** v1 client-side credentials: the HMAC-SHA1 signature of token + expire, signed by your backend. */
export interface SignatureCredentials {
  token: string;
  expire: number | string;
  signature: string;
}

/** v2 client-side credentials: a JWT (HS256, kid = public key) whose payload holds the upload parameters. */
export interface JwtCredentials {
  token: string;
}

/** What upload() passes to the authenticator before every attempt. */
export interface AuthenticatorContext {
  /** The upload parameters exactly as they go into the form (strings), for a backend that signs a v2 JWT. */
  uploadPayload: Record<string, string>;
  publicKey?: string;
  /** 0 for the first attempt, then 1, 2, 3 for the retries after network errors. */
  attempt: number;
}

export type Authenticator = (context: AuthenticatorContext) => Promise<SignatureCredentials | JwtCredentials>;

export interface UploadOptions {
  /** A Blob or File, or a string: a URL the server fetches, or base64. */
  file: string | Blob | File;
  fileName: string;

  /** Where to upload: an Upfront base URL (the SDK adds /api/v1/files/upload or /api/v2/files/upload), or a full
   * upload URL. Default: the server this module was loaded from. */
  uploadEndpoint?: string | URL;
  /** Called before every attempt for fresh credentials; with it, upload() retries after network errors. */
  authenticator?: Authenticator;

  /** Needed for v1 credentials (signature). */
  publicKey?: string;
  /** Fixed credentials for one attempt (without an authenticator there is no retry). */
  token?: string;
  signature?: string;
  expire?: number | string;

  tags?: string[];
  folder?: string;
  useUniqueFileName?: boolean;
  isPrivateFile?: boolean;
  isPublished?: boolean;
  customCoordinates?: string;
  customMetadata?: Record<string, unknown>;
  description?: string;
  extensions?: unknown[];
  overwriteFile?: boolean;
  overwriteAITags?: boolean;
  overwriteTags?: boolean;
  overwriteCustomMetadata?: boolean;
  responseFields?: string[];
  transformation?: { pre?: string; post?: Array<{ type: string; value?: string; protocol?: string }> };
  webhookUrl?: string;
  checks?: string;

  /** Upload progress of the current attempt (it starts again on a retry). */
  onProgress?: (event: ProgressEvent) => void;
  abortSignal?: AbortSignal;
  /** An XMLHttpRequest to use (re-opened for each attempt). */
  xhr?: XMLHttpRequest;
}

export interface ResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
  requestId?: string;
}

export interface UploadResponse {
  fileId: string;
  name: string;
  filePath: string;
  url: string;
  thumbnailUrl?: string;
  size: number;
  height?: number;
  width?: number;
  fileType: string;
  tags?: string[] | null;
  AITags?: unknown[] | null;
  isPrivateFile?: boolean;
  isPublished?: boolean;
  customCoordinates?: string | null;
  customMetadata?: Record<string, unknown>;
  embeddedMetadata?: Record<string, unknown>;
  extensionStatus?: Record<string, string>;
  versionInfo?: { id: string; name: string };
  description?: string;
  [field: string]: unknown;
  readonly $ResponseMetadata: ResponseMetadata;
}

/** A 4xx answer (or invalid options, then without status). */
export class ImageKitInvalidRequestError extends Error {
  readonly status?: number;
  /** The server's error code, e.g. "TOKEN_REUSED". */
  readonly code?: string;
  readonly help?: string;
  readonly $ResponseMetadata?: ResponseMetadata;
}

/** A 5xx answer. */
export class ImageKitServerError extends Error {
  readonly status?: number;
  readonly code?: string;
  readonly help?: string;
  readonly $ResponseMetadata?: ResponseMetadata;
}

/** No answer: the connection failed (after the retries, when an authenticator was given). status is 0. */
export class ImageKitUploadNetworkError extends Error {
  readonly status: 0;
}

export class ImageKitAbortError extends Error {
  readonly reason?: unknown;
}

export function upload(options: UploadOptions): Promise<UploadResponse>;

/** The upload URL upload() would use for an endpoint and API version. */
export function uploadUrl(endpoint: string | URL | undefined, version: "v1" | "v2"): string;

export type Transformation = Record<string, unknown>;

export interface SrcOptions {
  /** A path relative to urlEndpoint, or an absolute URL. */
  src: string;
  urlEndpoint: string;
  transformation?: Transformation[];
  /** Default "query". */
  transformationPosition?: "path" | "query";
  queryParameters?: Record<string, string | number>;
}

/** The same URL as @imagekit/javascript 5's buildSrc for the same options. */
export function buildSrc(options: SrcOptions): string;

export function buildTransformationString(transformation?: Transformation[]): string;

/**
 * Sends uploads that ImageKit's own browser clients address to https://upload.imagekit.io/api/v1|v2/files/upload
 * to this base URL instead (default: the server this module came from). Returns the base URL in use.
 */
export function redirectImageKitUploads(endpoint?: string | URL): string;
