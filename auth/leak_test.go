package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fragmentLen is the length of the runs of a secret looked for in errors:
// a run this long identifies a random token.
const fragmentLen = 16

// showsFragment reports the offset of the first fragmentLen-byte run of
// secret that out holds, or -1.
func showsFragment(out, secret string) int {
	for i := 0; i+fragmentLen <= len(secret); i++ {
		if strings.Contains(out, secret[i:i+fragmentLen]) {
			return i
		}
	}
	return -1
}

// A 3 KB token echoed by the gateway: the message is cut to 512 bytes, and
// the cut must not leave the first 500 bytes of the token behind.
func TestRefusalKeepsNoPartOfALongEchoedToken(t *testing.T) {
	token := strings.Repeat("MIIDkgYJKoZIhvcNAQcCoIIDgzCCA38CAQExDTALBglghkgBZQMEAgEwgg-", 60)[:3000]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, http.StatusUnauthorized, "APIGW.0301",
			"Incorrect IAM authentication information: token "+r.Header.Get(HeaderAuthToken)+" is invalid")
	}))
	defer srv.Close()
	got := sendGet(t, NewHTTPClient(&Transport{Credentials: StaticToken(token), Endpoint: mustURL(srv.URL)}), srv.URL+"/v5/p/templates")
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if i := showsFragment(fmt.Sprintf(verb, got.info), token); i >= 0 {
			t.Fatalf("%s of the parsed error shows %d bytes of the token from offset %d", verb, fragmentLen, i)
		}
		if i := showsFragment(fmt.Sprintf(verb, got.refusal), token); i >= 0 {
			t.Fatalf("%s of the refusal shows %d bytes of the token from offset %d", verb, fragmentLen, i)
		}
	}
	if !errors.Is(got.refusal, ErrTokenRejected) {
		t.Fatalf("Refusal = %v, want ErrTokenRejected", got.refusal)
	}
	if want := "Incorrect IAM authentication information: token REDACTED is invalid"; got.info.Message != want {
		t.Fatalf("message %q, want %q", got.info.Message, want)
	}
}

// A password with runs of white space, echoed by IAM: cleaning the message
// folds the runs, and the password must be gone before it does.
func TestLoginRefusalKeepsNoEchoedPassword(t *testing.T) {
	const password = "wrong  pass\tword  1"
	const folded = "wrong pass word 1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Auth struct {
				Identity struct {
					Password struct {
						User struct{ Password string } `json:"user"`
					} `json:"password"`
				} `json:"identity"`
			} `json:"auth"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		msg, _ := json.Marshal("The username or password is wrong: " + req.Auth.Identity.Password.User.Password)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, `{"error":{"code":401,"title":"Unauthorized","message":%s}}`, msg)
	}))
	defer srv.Close()
	p, err := NewPassword(PasswordLogin{IAMEndpoint: mustURL(srv.URL), Account: "a", User: "u", Password: password, ProjectName: "cn-north-4"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.ProjectID(t.Context())
	if err == nil {
		t.Fatal("no error")
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		out := fmt.Sprintf(verb, err)
		if strings.Contains(out, password) {
			t.Fatalf("%s of the error shows the password", verb)
		}
		if strings.Contains(out, folded) {
			t.Fatalf("%s of the error shows the password with its white space folded", verb)
		}
	}
	if !errors.Is(err, ErrLoginFailed) || !strings.Contains(err.Error(), "The username or password is wrong: REDACTED") {
		t.Fatalf("err = %v, want ErrLoginFailed with the password redacted", err)
	}
}
