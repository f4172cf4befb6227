package drsfake

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// Streams of the seeded randomness: each purpose draws from its own stream so
// that, for example, issuing a token does not shift the fault-injection draws.
const (
	streamSetup   = 1 // project ids, generated tasks and credentials
	streamIDs     = 2 // export ids and issued tokens
	streamFaults  = 3 // fault-injection decisions
	streamRequest = 4 // request ids
	streamCreds   = 5 // default credentials of Start and the command
)

// randSource is a seeded, mutex-guarded random stream.
type randSource struct {
	mu sync.Mutex
	cc *rand.ChaCha8
	r  *rand.Rand
}

func newRandSource(seed uint64, stream byte) *randSource {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:8], seed)
	key[31] = stream
	cc := rand.NewChaCha8(key)
	return &randSource{cc: cc, r: rand.New(cc)}
}

// bytes returns n random bytes.
func (s *randSource) bytes(n int) []byte {
	b := make([]byte, n)
	s.mu.Lock()
	_, _ = s.cc.Read(b) // ChaCha8.Read never fails
	s.mu.Unlock()
	return b
}

// hex returns n random lower-case hex characters (n even).
func (s *randSource) hex(n int) string {
	return hex.EncodeToString(s.bytes(n / 2))
}

// uuid returns a random (version 4) UUID string.
func (s *randSource) uuid() string {
	var u uuid.UUID
	copy(u[:], s.bytes(16))
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

// text returns n characters drawn from alphabet.
func (s *randSource) text(n int, alphabet string) string {
	b := make([]byte, n)
	s.mu.Lock()
	for i := range b {
		b[i] = alphabet[s.r.IntN(len(alphabet))]
	}
	s.mu.Unlock()
	return string(b)
}

// float64s returns n draws in [0, 1), taken together.
func (s *randSource) float64s(n int) []float64 {
	f := make([]float64, n)
	s.mu.Lock()
	for i := range f {
		f[i] = s.r.Float64()
	}
	s.mu.Unlock()
	return f
}
