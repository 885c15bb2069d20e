import type { ConnectorView } from '../api';

// AuthPanel shows how a maker connects (auth sets and their connection
// parameters) and the policy templates the gateway runs.
export function AuthPanel({ c }: { c: ConnectorView }) {
  return (
    <div className="auth-panel">
      <h3>Authentication: {c.auth.kind}</h3>
      {c.auth.sets.map((s, i) => (
        <div key={i} className="card sub">
          <div>
            <strong>{s.displayName || s.name || s.kind}</strong> <span className="badge info">{s.kind}</span>
            {s.scheme && <span className="muted small"> security scheme “{s.scheme}”</span>}
          </div>
          {s.apiKey && (
            <div className="small">
              API key in {s.apiKey.in} <code>{s.apiKey.name}</code>
              {s.apiKey.parameter && <> from parameter <code>{s.apiKey.parameter}</code></>}
            </div>
          )}
          {s.oauth2 && (
            <div className="small">
              OAuth 2.0 {s.oauth2.identityProvider && <>({s.oauth2.identityProvider})</>} {s.oauth2.flow}
              {s.oauth2.authorizationUrl && <div className="mono">authorize: {s.oauth2.authorizationUrl}</div>}
              {s.oauth2.tokenUrl && <div className="mono">token: {s.oauth2.tokenUrl}</div>}
              {s.oauth2.refreshUrl && <div className="mono">refresh: {s.oauth2.refreshUrl}</div>}
              {s.oauth2.scopes && s.oauth2.scopes.length > 0 && <div>scopes: {s.oauth2.scopes.join(', ')}</div>}
            </div>
          )}
          {s.basic && (
            <div className="small">
              Basic authentication
              {!s.scheme && <> (from its user-name and password parameters; no basic scheme declared)</>}
            </div>
          )}
          {s.parameters && s.parameters.length > 0 && (
            <table className="params small">
              <thead>
                <tr>
                  <th>Connection parameter</th>
                  <th>Type</th>
                  <th>Required</th>
                </tr>
              </thead>
              <tbody>
                {s.parameters.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <code>{p.name}</code> {p.displayName && <span className="muted">{p.displayName}</span>}
                      {p.synthetic && (
                        <span className="badge info" title={p.description}>
                          derived from securityDefinitions
                        </span>
                      )}
                    </td>
                    <td>{p.type}</td>
                    <td>{p.required ? 'yes' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      <h3>Policies ({c.policies.length})</h3>
      {c.policies.length === 0 && <div className="muted">No policy templates.</div>}
      {c.policies.length > 0 && (
        <table className="params small">
          <thead>
            <tr>
              <th>Template</th>
              <th>Title</th>
              <th>Applies to</th>
              <th>Parameters</th>
            </tr>
          </thead>
          <tbody>
            {c.policies.map((p, i) => (
              <tr key={i}>
                <td className="mono">{p.templateId}</td>
                <td>{p.title}</td>
                <td>{p.operations && p.operations.length > 0 ? p.operations.join(', ') : 'all operations'}</td>
                <td className="mono">
                  {Object.entries(p.parameters ?? {}).map(([k, v]) => (
                    <div key={k}>
                      {k}: {typeof v === 'string' ? v : JSON.stringify(v)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Custom code</h3>
      {c.customCode ? (
        <div className="small">
          <span className="badge custom">custom code</span> {c.customCode.file} ({c.customCode.size} bytes)
          {c.customCode.operations && c.customCode.operations.length > 0 && <> for {c.customCode.operations.join(', ')}</>}
          <div className="muted">The C# script does not run here: mock answers come from the definition.</div>
        </div>
      ) : (
        <div className="muted">None.</div>
      )}
    </div>
  );
}
