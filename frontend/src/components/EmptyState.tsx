import type { ReactNode } from 'react';

// EmptyState says what is missing and what to do next.
export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="card empty empty-state-card" role="note">
      {icon}
      <div>
        <strong>{title}</strong>
        <div className="muted">{children}</div>
        {action && <div className="empty-action">{action}</div>}
      </div>
    </div>
  );
}
