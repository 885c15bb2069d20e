package scripthost

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// The protocol between Go and the child: each frame is a 4-byte
// big-endian length and that many bytes of one JSON object. Types ("t"):
//
//	child → Go  ready                   the host loop is running
//	Go → child  call  id op corr req timeoutMs   run ExecuteAsync once
//	child → Go  log   id level msg      a Logger or Console line of call id
//	child → Go  send  id sub req        Context.SendAsync of call id
//	Go → child  sent  id sub resp|error the answer to that send
//	Go → child  cancel id               the caller went away
//	child → Go  done  id resp|error type stack   ExecuteAsync finished
//	child → Go  fatal error             the loop cannot go on
//
// Bodies are base64 (encoding/json's []byte); headers are [name, value]
// pairs, one per value, in order.
type frame struct {
	T         string        `json:"t"`
	ID        int64         `json:"id,omitempty"`
	Sub       string        `json:"sub,omitempty"`
	Op        string        `json:"op,omitempty"`
	Corr      string        `json:"corr,omitempty"`
	TimeoutMs int64         `json:"timeoutMs,omitempty"`
	Req       *wireRequest  `json:"req,omitempty"`
	Resp      *wireResponse `json:"resp,omitempty"`
	Error     string        `json:"error,omitempty"`
	Type      string        `json:"type,omitempty"`
	Stack     string        `json:"stack,omitempty"`
	Level     string        `json:"level,omitempty"`
	Msg       string        `json:"msg,omitempty"`
}

type wireRequest struct {
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers [][2]string `json:"headers"`
	Body    []byte      `json:"body"`
}

type wireResponse struct {
	Status  int         `json:"status"`
	Reason  string      `json:"reason,omitempty"`
	Headers [][2]string `json:"headers"`
	Body    []byte      `json:"body"`
}

// maxFrame bounds one frame (bodies are base64 inside it).
const maxFrame = 256 << 20

func writeFrame(w io.Writer, f *frame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode a %s frame: %w", f.T, err)
	}
	if len(b) > maxFrame {
		return fmt.Errorf("a %s frame of %d bytes is over the %d-byte limit", f.T, len(b), maxFrame)
	}
	buf := make([]byte, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	copy(buf[4:], b)
	_, err = w.Write(buf)
	return err
}

func readFrame(r io.Reader) (*frame, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(head[:])
	if n > maxFrame {
		return nil, fmt.Errorf("the script host sent a frame of %d bytes (limit %d)", n, maxFrame)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("truncated frame: %w", err)
	}
	var f frame
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("the script host sent a frame that is not JSON: %w", err)
	}
	return &f, nil
}
