package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/internal/testkit"
)

// desktopServices opens path in a workspace and returns a mock and a
// record service over one recordings database in a temp folder.
func desktopServices(t *testing.T, path string) (*MockService, *RecordService, string) {
	t.Helper()
	cs := newTestConnectors(t)
	v, err := cs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tl := newTrafficLog(&eventRecorder{})
	tl.Interval = time.Millisecond
	st := newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db"))
	t.Cleanup(st.close)
	ms := newMockService(quietLog(), cs.ws, st, tl, &eventRecorder{})
	t.Cleanup(ms.stopAll)
	return ms, newRecordService(quietLog(), cs.ws, st, tl, &eventRecorder{}, noDialogs{}), v.Path
}

func httpGet(t *testing.T, u string) (int, string) { t.Helper(); return testkit.Get(t, u) }

// TestDesktopRecordsReplaysAndManagesSessions: the Mock screen records
// its own traffic, a second mock replays that session (a miss is a 404
// naming the closest recording; with fallback it simulates), and the
// session is renamed, exported, imported and removed through the same
// workflow the CLI uses.
func TestDesktopRecordsReplaysAndManagesSessions(t *testing.T) {
	ms, rs, path := desktopServices(t, sample)
	rec, err := ms.StartMock(MockConfig{Path: path, Validate: true, Auth: false, Seed: 3, Record: true})
	if err != nil || rec.RecordingSession == 0 {
		t.Fatalf("record: %+v %v", rec, err)
	}
	code, recorded := httpGet(t, rec.URL+"/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6")
	if code != 200 {
		t.Fatalf("GET through the recording mock: %d %s", code, recorded)
	}
	if _, err := ms.StopMock(rec.ID); err != nil {
		t.Fatal(err)
	}
	ss, err := rs.Sessions("")
	if err != nil || len(ss) != 1 || ss[0].Exchanges != 1 || ss[0].Status != "complete" {
		t.Fatalf("sessions after recording: %+v %v", ss, err)
	}
	id := ss[0].ID

	rp, err := ms.StartMock(MockConfig{Path: path, Validate: true, Seed: 99, ReplaySession: id})
	if err != nil || rp.Replaying != ss[0].Name || rp.ReplayExchanges != 1 {
		t.Fatalf("replay: %+v %v", rp, err)
	}
	if code, body := httpGet(t, rp.URL+"/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6"); code != 200 || body != recorded {
		t.Errorf("replayed answer differs from the recorded one: %d\n%s\nwant\n%s", code, body, recorded)
	}
	if code, _ := httpGet(t, rp.URL+"/orders"); code != 404 {
		t.Errorf("a replay miss without fallback: %d, want 404", code)
	}
	fb, err := ms.StartMock(MockConfig{Path: path, Validate: true, ReplaySession: id, Fallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := httpGet(t, fb.URL+"/orders"); code != 200 {
		t.Errorf("a replay miss with fallback: %d, want 200", code)
	}
	if _, err := ms.StartMock(MockConfig{Path: path, Spy: "http://127.0.0.1:1"}); err == nil || !strings.Contains(describe(err).Message, "only apply when replaying") {
		t.Errorf("spy without replay: %v", err)
	}
	if _, err := ms.StartMock(MockConfig{Path: path, ReplaySession: 999}); err == nil {
		t.Error("replaying a session that does not exist started")
	}

	if v, err := rs.RenameSession(id, "  golden  "); err != nil || v.Name != "golden" {
		t.Fatalf("rename: %+v %v", v, err)
	}
	dir := t.TempDir()
	for _, format := range []string{"har", "json"} {
		out := filepath.Join(dir, "s."+format)
		if p, err := rs.ExportSession(id, format, out); err != nil || p != out {
			t.Fatalf("export %s: %q %v", format, p, err)
		}
		if format == "har" {
			// A mock's exchanges carry relative URLs, which a HAR import
			// skips; the JSON export keeps them.
			continue
		}
		res, err := rs.ImportSession(out, "again-"+format, "")
		if err != nil || res.Exchanges != 1 || res.Session.Name != "again-"+format {
			t.Fatalf("import %s: %+v %v", format, res, err)
		}
	}
	if _, err := rs.ExportSession(id, "xml", filepath.Join(dir, "s.xml")); err == nil {
		t.Error("export as xml was accepted")
	}
	if _, err := rs.RenameSession(id, "again-json"); err == nil {
		t.Error("renaming onto an existing name was accepted")
	}
	if err := rs.DeleteSession(id); err != nil {
		t.Fatal(err)
	}
	if ss, _ := rs.Sessions(""); len(ss) != 1 {
		t.Errorf("after rm: %d sessions, want the imported one", len(ss))
	}
}

// TestDesktopWatchReloadsTheDefinition: a watched mock serves an edit of
// the definition without a restart and keeps the last good version when
// the edit breaks it.
func TestDesktopWatchReloadsTheDefinition(t *testing.T) {
	dir := testkit.CopyConnector(t, sample)
	ms, _, path := desktopServices(t, dir)
	st, err := ms.StartMock(MockConfig{Path: path, Validate: true, Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := httpGet(t, st.URL+"/widgets"); code != 404 {
		t.Fatalf("widgets before the edit: %d", code)
	}
	testkit.AddWidgets(t, dir)
	waitUntil(t, func() bool { code, _ := httpGet(t, st.URL+"/widgets"); return code == 200 }, "the edit to be served")
	list, _ := ms.ListMocks()
	if len(list) != 1 || list[0].Reloads != 1 || list[0].Operations != st.Operations+1 {
		t.Errorf("status after reload: %+v", list)
	}
	testkit.BreakDefinition(t, dir)
	waitUntil(t, func() bool { l, _ := ms.ListMocks(); return len(l) == 1 && l[0].ReloadError != "" }, "the broken edit to be reported")
	if code, _ := httpGet(t, st.URL+"/widgets"); code != 200 {
		t.Errorf("after a broken edit the last good version must keep answering: %d", code)
	}
}

func waitUntil(t *testing.T, ok func() bool, what string) { t.Helper(); testkit.WaitFor(t, ok, what) }
