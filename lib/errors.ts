// One catalog of failure reasons, mapped to HTTP Status objects (apiserver/http) and gRPC codes
// (agents) at the edges. Core code throws ApiError and never thinks about transports.

export type Reason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'ServiceUnavailable'
  | 'InternalError'
  | 'Timeout'
  | 'TooManyRequests';

const codes: Record<Reason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  ServiceUnavailable: 503,
  InternalError: 500,
  Timeout: 504,
  TooManyRequests: 429,
};

/** One field problem, as Kubernetes reports it in Status.details.causes. */
export interface FieldCause {
  /** e.g. FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong */
  reason: string;
  message: string;
  /** dotted path with indexes: spec.containers[0].image */
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: FieldCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.code = codes[reason];
  }

  /** The Kubernetes meta/v1 Status body for this error. */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason === 'Gone' ? 'Expired' : this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isNotFound = (e: unknown): boolean => isApiError(e) && e.reason === 'NotFound';
export const isConflict = (e: unknown): boolean => isApiError(e) && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): boolean => isApiError(e) && e.reason === 'AlreadyExists';

/** "pods \"web\" not found" — the exact phrasing kubectl users know. */
export function notFound(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError('NotFound', `${what} "${name}" not found`, { name, group, kind: resource });
}

export function alreadyExists(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError('AlreadyExists', `${what} "${name}" already exists`, { name, group, kind: resource });
}

export function conflict(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );
}

/** 422 Invalid naming every bad field: `Pod "x" is invalid: spec.containers[0].image: Required value`. */
export function invalid(kind: string, name: string, causes: FieldCause[], group = ''): ApiError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const what = group ? `${kind}.${group}` : kind;
  return new ApiError('Invalid', `${what} "${name}" is invalid: ${summary}`, { name, group, kind, causes });
}

export const badRequest = (message: string): ApiError => new ApiError('BadRequest', message);
