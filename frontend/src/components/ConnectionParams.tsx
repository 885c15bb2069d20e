import type { ConnectorView } from '../api';

// ConnectionParams asks for the values a maker types when creating a
// connection. They stay in this component's state and in Go's memory for
// the run; nothing writes them to disk.
export function ConnectionParams({
  c,
  authSet,
  setAuthSet,
  values,
  onChange,
}: {
  c: ConnectorView;
  authSet: string;
  setAuthSet: (s: string) => void;
  values: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
}) {
  const sets = c.auth.sets;
  const set = sets.find((s) => (s.name ?? '') === authSet) ?? sets[0];
  // An oauthSetting parameter is where an OAuth 2.0 access token goes: the
  // window takes a pasted token (the browser sign-in is not run here).
  const params = (set?.parameters ?? []).filter((p) => !p.hidden || p.type === 'oauthSetting');
  return (
    <div className="conn-params">
      {sets.length > 1 && (
        <label className="inline">
          Connection
          <select aria-label="Connection type" value={authSet} onChange={(e) => setAuthSet(e.target.value)}>
            {sets.map((s) => (
              <option key={s.name ?? ''} value={s.name ?? ''}>
                {s.displayName || s.name || s.kind}
              </option>
            ))}
          </select>
        </label>
      )}
      {params.length === 0 && <div className="muted small">This connection type needs no parameters.</div>}
      <div className="form-grid">
        {params.map((p) => {
          const oauth = p.type === 'oauthSetting';
          const secret = p.type === 'securestring' || oauth;
          return (
            <label key={p.name}>
              <span>
                {oauth ? 'OAuth 2.0 access token' : p.displayName || p.name}
                {p.required && ' *'} {secret && <span className="badge redacted">secret</span>}
                {/* Not in apiProperties.json: the connection rule gave the
                    security scheme a parameter to hold its credential. */}
                {p.synthetic && (
                  <span className="badge info" title={p.description}>
                    derived from securityDefinitions
                  </span>
                )}
              </span>
              <input
                aria-label={`Connection parameter ${p.name}`}
                type={secret ? 'password' : 'text'}
                autoComplete="off"
                value={values[p.name] ?? ''}
                onChange={(e) => onChange({ ...values, [p.name]: e.target.value })}
              />
            </label>
          );
        })}
      </div>
      {params.length > 0 && <div className="muted small">Kept in memory only: never written to disk, the database or logs.</div>}
    </div>
  );
}
