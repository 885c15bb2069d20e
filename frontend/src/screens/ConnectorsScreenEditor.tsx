import { useEffect, useState } from 'react';
import { Eye, EyeOff, Save, Star, Zap } from 'lucide-react';
import { backend, type ConnectorView, type OperationView } from '../api';
import { MethodBadge } from '../components/OperationList';

export const visibilities = ['', 'important', 'advanced', 'internal'] as const;
export const summaryLimit = 80;

// placement says where Power Automate lists an action with visibility v.
export function placement(v: string): string {
  switch (v) {
    case 'important':
      return 'listed first among the actions';
    case 'advanced':
      return 'hidden behind "See more" in the action list';
    case 'internal':
      return 'hidden from makers (used only by other operations, e.g. dropdowns)';
    default:
      return 'listed among the actions';
  }
}

// summaryHints are the live checks of the summary (the action's name).
export function summaryHints(s: string): string[] {
  const t = s.trim();
  const out: string[] = [];
  if (t === '') out.push('The summary is the action’s name in Power Automate: it cannot be empty.');
  if (t.length > summaryLimit) out.push(`Keep it under ${summaryLimit} characters: the card cuts longer names.`);
  if (/[\r\n]/.test(s)) out.push('Keep it on one line; details go in the description.');
  if (t.endsWith('.')) out.push('Action names usually have no final period.');
  return out;
}

interface Props {
  c: ConnectorView;
  op: OperationView;
  onSaved: (path: string) => Promise<unknown>;
  onError: (e: unknown) => void;
}

// OperationEditor edits what a maker sees of one operation: the summary,
// description and x-ms-visibility, with a live preview of the Power
// Automate action card. Save writes apiDefinition.swagger.json keeping its
// formatting and key order; the connector is then opened again so its
// validation findings refresh.
export function OperationEditor({ c, op, onSaved, onError }: Props) {
  const [summary, setSummary] = useState(op.summary ?? '');
  const [description, setDescription] = useState(op.description ?? '');
  const [visibility, setVisibility] = useState<string>(op.visibility ?? '');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setSummary(op.summary ?? '');
    setDescription(op.description ?? '');
    setVisibility(op.visibility ?? '');
  }, [op.id, op.summary, op.description, op.visibility]);
  const editable = c.format === 'swagger2';
  const dirty = summary !== (op.summary ?? '') || description !== (op.description ?? '') || visibility !== (op.visibility ?? '');
  const hints = summaryHints(summary);
  const canSave = editable && dirty && !saving && summary.trim() !== '' && !/[\r\n]/.test(summary);

  const save = async () => {
    setSaving(true);
    try {
      await backend().editOperation(c.path, { operationId: op.id, summary, description, visibility });
      await onSaved(c.path);
    } catch (e) {
      onError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="card op-editor" data-testid="operation-editor">
      <div className="row">
        <MethodBadge method={op.method} />
        <span className="mono small grow">{op.id}</span>
        <span className="muted small mono">{op.path}</span>
      </div>
      {!editable && <div className="notice small">This is a {c.format} file: create a connector folder from it (New connector) to edit its operations.</div>}
      <form
        className="op-edit-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSave) void save();
        }}
      >
        <label>
          <span className="muted small">
            Summary <span className={summary.trim().length > summaryLimit ? 'error-text' : ''}>({summary.trim().length}/{summaryLimit})</span>
          </span>
          <input aria-label="Operation summary" value={summary} disabled={!editable} onChange={(e) => setSummary(e.target.value)} />
        </label>
        <label>
          <span className="muted small">Description</span>
          <textarea aria-label="Operation description" rows={3} value={description} disabled={!editable} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          <span className="muted small">Visibility (x-ms-visibility)</span>
          <select aria-label="Operation visibility" value={visibility} disabled={!editable} onChange={(e) => setVisibility(e.target.value)}>
            {visibilities.map((v) => (
              <option key={v} value={v}>
                {v || 'none'}
              </option>
            ))}
          </select>
        </label>
        {hints.length > 0 && (
          <ul className="small op-hints" aria-label="Summary checks">
            {hints.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={!canSave}>
            <Save size={14} aria-hidden /> {saving ? 'Saving…' : 'Save to apiDefinition.swagger.json'}
          </button>
          <button
            type="button"
            disabled={!dirty || saving}
            onClick={() => {
              setSummary(op.summary ?? '');
              setDescription(op.description ?? '');
              setVisibility(op.visibility ?? '');
            }}
          >
            Revert
          </button>
        </div>
      </form>
      <ActionCardPreview connector={c.name} summary={summary} description={description} visibility={visibility} trigger={!!op.trigger} />
    </div>
  );
}

// ActionCardPreview draws the operation as Power Automate shows it: the
// action picker row and the action card in the flow.
export function ActionCardPreview({ connector, summary, description, visibility, trigger }: { connector: string; summary: string; description: string; visibility: string; trigger: boolean }) {
  const name = summary.trim() || '(no summary)';
  const hidden = visibility === 'internal';
  return (
    <div className="pa-preview" data-testid="action-preview" aria-label="Power Automate preview">
      <div className="muted small">Live preview: how Power Automate shows it</div>
      <div className={'pa-picker' + (hidden ? ' pa-hidden' : '')}>
        <div className="pa-picker-head small muted">{trigger ? 'Triggers' : 'Actions'} · {connector}</div>
        <div className="pa-picker-row">
          <span className="pa-icon" aria-hidden>
            <Zap size={14} />
          </span>
          <span className="grow pa-name" data-testid="preview-name">
            {name}
          </span>
          {visibility === 'important' && <Star size={14} aria-label="important" />}
          {visibility === 'advanced' && <EyeOff size={14} aria-label="advanced" />}
          {visibility === '' && <Eye size={14} aria-label="shown" />}
        </div>
        <div className="small muted" data-testid="preview-placement">
          {placement(visibility)}
        </div>
      </div>
      {!hidden && (
        <div className="pa-card">
          <div className="pa-card-head">
            <span className="pa-icon" aria-hidden>
              <Zap size={14} />
            </span>
            <span className="pa-name grow">{name}</span>
          </div>
          <div className="pa-card-body small" data-testid="preview-description">
            {description.trim() || <span className="muted">No description: the card shows no help text. Add one to say what the action does.</span>}
          </div>
        </div>
      )}
    </div>
  );
}
