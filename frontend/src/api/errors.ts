// Errors from Go arrive as {message, fix} (app.formatError); anything else
// (a string, a JS Error from a broken bridge) is normalised to the same shape.
export class ApiError extends Error {
  fix?: string;
  constructor(message: string, fix?: string) {
    super(message);
    this.name = 'ApiError';
    this.fix = fix;
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; fix?: unknown };
    if (typeof o.message === 'string') {
      return new ApiError(o.message, typeof o.fix === 'string' && o.fix ? o.fix : undefined);
    }
  }
  if (typeof e === 'string') {
    // Wails may pass the formatted error as JSON text.
    try {
      const o = JSON.parse(e);
      if (o && typeof o.message === 'string') return new ApiError(o.message, o.fix || undefined);
    } catch {
      /* plain text */
    }
    return new ApiError(e);
  }
  return new ApiError(String(e));
}

// call runs a binding and rejects with an ApiError.
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}
