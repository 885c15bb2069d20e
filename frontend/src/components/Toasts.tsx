import { useEffect } from 'react';
import { CircleExclamationPoint, CircleCheck, X } from 'lucide-react';
import type { ApiError } from '../api';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  fix?: string;
}

export function toastFrom(id: number, e: ApiError): Toast {
  return { id, kind: 'error', message: e.message, fix: e.fix };
}

// Toasts shows failed calls as a sentence and its fix (never a stack), and
// short confirmations, in the window's corner. Errors stay until closed;
// confirmations go after a few seconds.
export function Toasts({ toasts, onClose }: { toasts: Toast[]; onClose: (id: number) => void }) {
  useEffect(() => {
    const info = toasts.filter((t) => t.kind === 'info');
    if (info.length === 0) return;
    const timers = info.map((t) => setTimeout(() => onClose(t.id), 4000));
    return () => timers.forEach(clearTimeout);
  }, [toasts, onClose]);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}` + (t.kind === 'error' ? ' error-banner' : '')} role={t.kind === 'error' ? 'alert' : 'status'}>
          {t.kind === 'error' ? <CircleExclamationPoint size={18} aria-hidden /> : <CircleCheck size={18} aria-hidden />}
          <div className="toast-body">
            <strong>{t.message}</strong>
            {t.fix && <div className="fix">Fix: {t.fix}</div>}
          </div>
          <button className="ghost icon" onClick={() => onClose(t.id)} aria-label="Dismiss">
            <X size={16} aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
