/** A field the server refused, as `{ field, reason }` in its error body. */
export interface FieldError {
  field: string;
  reason: string;
}

/** The server answered with an error: `{ error, message, fields? }` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Reasons per field name, without the `body.` prefix request validation adds. */
  fieldReasons(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      const name = f.field.replace(/^body\./, '');
      out[name] ??= f.reason;
    }
    return out;
  }
}

/** No session on this device: the person has to sign in. */
export class NotSignedInError extends Error {
  constructor() {
    super('Not signed in');
    this.name = 'NotSignedInError';
  }
}

/** Build an ApiError from a non-2xx response, whatever its body (JSON error, HTML from a proxy, nothing). */
export async function apiErrorFrom(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page, an empty 502): keep the status alone.
  }
  const fields = Array.isArray(body.fields)
    ? body.fields.flatMap((f: unknown) => {
        const o = f as { field?: unknown; reason?: unknown } | null;
        return typeof o?.field === 'string' ? [{ field: o.field, reason: String(o.reason ?? '') }] : [];
      })
    : [];
  return new ApiError(
    res.status,
    typeof body.error === 'string' ? body.error : `http_${res.status}`,
    typeof body.message === 'string' ? body.message : res.statusText || `HTTP ${res.status}`,
    fields,
    body,
  );
}

/**
 * fetch() rejects with a TypeError when the request never reached a server (offline, DNS, refused).
 * That is the only case a person should read as "no network".
 */
export function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof DOMException && err.name === 'NetworkError');
}
