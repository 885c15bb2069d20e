import type { FindingView } from '../api';

// FindingsList shows validate findings, errors first, with where and the fix.
export function FindingsList({ findings }: { findings: FindingView[] }) {
  if (findings.length === 0) return <div className="card empty ok-text">No findings: the definition passes every check.</div>;
  return (
    <table className="findings">
      <thead>
        <tr>
          <th>Level</th>
          <th>Rule</th>
          <th>Where</th>
          <th>What and how to fix</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={i} className={`lvl-${f.level}`}>
            <td>
              <span className={`badge ${f.level}`}>{f.level}</span>
            </td>
            <td className="mono small">{f.id}</td>
            <td className="mono small">{f.location}</td>
            <td>
              {f.message}
              {f.fix && <div className="fix small">Fix: {f.fix}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
