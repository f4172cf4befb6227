package sdksign_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

func ExampleSign() {
	r, err := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path?limit=1", nil)
	if err != nil {
		panic(err)
	}
	// A preset X-Sdk-Date pins the signing time; otherwise Sign uses now.
	r.Header.Set(sdksign.HeaderDate, "20060102T150405Z")
	r.Header.Set("TEST_UNDERSCORE", "TEST_VALUE") // names with '_' are never signed

	if err := sdksign.Sign(r, nil, "AccessKey", "SecretKey", time.Now()); err != nil {
		panic(err)
	}
	fmt.Println(r.Header.Get("Authorization"))

	a, err := sdksign.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		panic(err)
	}
	fmt.Println(a) // formatting redacts the signature
	// Output:
	// SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624
	// SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=REDACTED
}

func ExampleVerify() {
	// Client side.
	r, _ := http.NewRequest(http.MethodGet, "https://drs.cn-north-4.myhuaweicloud.com/v5/p1/templates?offset=0&limit=10", nil)
	r.Header.Set(sdksign.HeaderProjectID, "p1")
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	if err := sdksign.Sign(r, nil, "AK", "SK", now); err != nil {
		panic(err)
	}

	// Server side, 20 minutes later with the gateway's 15-minute limit.
	secretFor := func(ak string) (string, bool) { return "SK", ak == "AK" }
	_, err := sdksign.Verify(r, nil, secretFor, now.Add(20*time.Minute), 15*time.Minute)
	fmt.Println(err)
	ak, err := sdksign.Verify(r, nil, secretFor, now.Add(time.Minute), 15*time.Minute)
	fmt.Println(ak, err)
	// Output:
	// sdksign: X-Sdk-Date too far from server time: request date is 20m0s behind server time (limit 15m0s)
	// AK <nil>
}
