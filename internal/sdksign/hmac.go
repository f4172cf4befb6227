package sdksign

import (
	"crypto/hmac"
	"crypto/sha256"
)

// hmacSHA256 returns HMAC-SHA256(key, msg), the signature of
// SDK-HMAC-SHA256 (the SK bytes as they are, no key derivation).
//
// It is crypto/hmac's, whose state lives on the heap: it is most of what
// [Sign] and [Verify] still allocate. A hand-made HMAC over stack buffers
// would save those few allocations; cryptography is not where this project
// writes its own.
func hmacSHA256(key string, msg []byte) (sum [sha256.Size]byte) {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	m.Sum(sum[:0])
	return sum
}
