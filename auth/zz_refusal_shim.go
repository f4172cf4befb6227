package auth

// TEMPORARY shim until the auth branch lands (it provides the real Refusal).

import (
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

// Refusal classifies resp (temporary).
func Refusal(resp *http.Response, code string) error {
	if resp.StatusCode != http.StatusUnauthorized && !(resp.StatusCode == http.StatusForbidden && code == huaweierr.CodeInvalidToken) {
		return nil
	}
	f := &refusal{status: resp.StatusCode, header: resp.Header, info: huaweierr.Info{Code: code}}
	return f.error(resp.Request, timeNow())
}

func timeNow() (t time.Time) { return time.Now() }
