package sdksign

import "crypto/sha256"

// hmacSHA256 returns HMAC-SHA256(key, msg) as RFC 2104 defines it:
//
//	SHA-256((K xor opad) || SHA-256((K xor ipad) || msg))
//
// where K is key zero-padded to the 64-byte block (a longer key is first
// replaced by its SHA-256), ipad is 64 bytes of 0x36 and opad 64 bytes of
// 0x5c.
//
// crypto/hmac computes the same (the tests check it against crypto/hmac and
// the RFC 4231 vectors) but keeps its state on the heap: five allocations
// per fresh key, plus the buffers handed to its interface methods. Signing
// uses a fresh key on every call, so this version, built on sha256.Sum256
// over stack buffers, is what keeps [Sign] and [Verify] nearly
// allocation-free; it allocates only for a key longer than the block or a
// message longer than 128 bytes (strings to sign are 98).
func hmacSHA256(key string, msg []byte) [sha256.Size]byte {
	const (
		block = sha256.BlockSize
		ipad  = 0x36
		opad  = 0x5c
	)
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256([]byte(key))
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}

	var innerBuf [block + 128]byte
	inner := innerBuf[:block]
	for i, c := range k {
		inner[i] = c ^ ipad
	}
	innerSum := sha256.Sum256(append(inner, msg...))

	var outer [block + sha256.Size]byte
	for i, c := range k {
		outer[i] = c ^ opad
	}
	copy(outer[block:], innerSum[:])
	return sha256.Sum256(outer[:])
}
