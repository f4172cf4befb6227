package sdksign

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// stdHMAC is the reference: crypto/hmac.
func stdHMAC(key string, msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	return m.Sum(nil)
}

// TestHMACSHA256 checks hmacSHA256 against the HMAC-SHA-256 vectors of
// RFC 4231 (section 4; test case 5 is left out because it truncates the
// output) and against crypto/hmac.
func TestHMACSHA256(t *testing.T) {
	key25 := make([]byte, 25)
	for i := range key25 {
		key25[i] = byte(i + 1)
	}
	tests := []struct {
		name     string
		key, msg string
		want     string
	}{
		{"1", strings.Repeat("\x0b", 20), "Hi There",
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"2", "Jefe", "what do ya want for nothing?",
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{"3", strings.Repeat("\xaa", 20), strings.Repeat("\xdd", 50),
			"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
		{"4", string(key25), strings.Repeat("\xcd", 50),
			"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
		{"6 key longer than a block", strings.Repeat("\xaa", 131), "Test Using Larger Than Block-Size Key - Hash Key First",
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		{"7 key and message longer than a block", strings.Repeat("\xaa", 131),
			"This is a test using a larger than block-size key and a larger than block-size data. " +
				"The key needs to be hashed before being used by the HMAC algorithm.",
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hmacSHA256(tt.key, []byte(tt.msg))
			if h := hex.EncodeToString(got[:]); h != tt.want {
				t.Errorf("hmacSHA256 = %s, want %s", h, tt.want)
			}
			if std := stdHMAC(tt.key, []byte(tt.msg)); !bytes.Equal(got[:], std) {
				t.Errorf("hmacSHA256 differs from crypto/hmac")
			}
		})
	}
}

func FuzzHMACSHA256(f *testing.F) {
	f.Add("SK", []byte("SDK-HMAC-SHA256\n20250703T094412Z\n"))
	f.Add("", []byte{})
	f.Add(strings.Repeat("k", 64), bytes.Repeat([]byte("m"), 128))
	f.Add(strings.Repeat("k", 65), bytes.Repeat([]byte("m"), 129))
	f.Fuzz(func(t *testing.T, key string, msg []byte) {
		got := hmacSHA256(key, msg)
		if !bytes.Equal(got[:], stdHMAC(key, msg)) {
			t.Fatalf("hmacSHA256 differs from crypto/hmac for a %d-byte key and a %d-byte message", len(key), len(msg))
		}
	})
}
