import type { ApiError } from '../api';

// ErrorBanner shows a failed call as a sentence and its fix, never a stack.
export function ErrorBanner({ error, onClose }: { error: ApiError | null; onClose: () => void }) {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <div>
        <strong>{error.message}</strong>
        {error.fix && <div className="fix">Fix: {error.fix}</div>}
      </div>
      <button className="ghost" onClick={onClose} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
