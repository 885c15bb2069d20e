package recordings

import "testing"

// TestSessionFieldsAreNotSecretsByName: the structural rule took any name
// with "session" in it, so Airmeet's sessionTitle and sessionStartTime
// were stored as placeholders and their replay answered 422 (the
// self-consistency invariant fell from 745 to 704 connectors). Session
// ids stay secret.
func TestSessionFieldsAreNotSecretsByName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"sessionTitle": false, "sessionStartTime": false, "sessionDuration": false, "session_summary": false,
		"session": true, "X_Session_Id": true, "PHPSESSID": true, "sessionToken": true, "session_key": true, "X-Session": true,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", name, got, want)
		}
	}
}
