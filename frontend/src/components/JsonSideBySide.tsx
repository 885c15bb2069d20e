import { sideBySide } from '../lib/jsondiff';

// JsonSideBySide shows the recorded and the replayed body next to each
// other, as text, with the drifting lines marked.
export function JsonSideBySide({ recorded, replayed }: { recorded: string; replayed: string }) {
  const { left, right } = sideBySide(recorded, replayed);
  return (
    <div className="two-col json-sbs" data-testid="json-sbs">
      <div>
        <div className="muted small">Recorded</div>
        <pre className="body">
          {left.map((l, i) => (
            <div key={i} className={`ln ${l.mark}`}>
              {l.text || ' '}
            </div>
          ))}
          {left.length === 0 && <span className="muted">(no body)</span>}
        </pre>
      </div>
      <div>
        <div className="muted small">Replayed</div>
        <pre className="body">
          {right.map((l, i) => (
            <div key={i} className={`ln ${l.mark}`}>
              {l.text || ' '}
            </div>
          ))}
          {right.length === 0 && <span className="muted">(no body)</span>}
        </pre>
      </div>
    </div>
  );
}
