package auth_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/endpoint"
)

// A token you already hold is sent as X-Auth-Token.
func ExampleStaticToken() {
	drs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("DRS received a token:", r.Header.Get("X-Auth-Token") != "")
	}))
	defer drs.Close()

	// In production: endpoint.Config{Region: "cn-north-4"}.DRS().
	drsURL, err := endpoint.Parse(drs.URL, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	client := auth.NewHTTPClient(&auth.Transport{
		Credentials: auth.StaticToken("MIIEXAMPLE..."),
		Endpoint:    drsURL, // credentials are only ever sent to its origin
	})
	resp, err := client.Get(drs.URL + "/v5/0123456789abcdef0123456789abcdef/templates")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// DRS received a token: true
	// 200 OK
}

// An access key pair signs every request; Now pins the signing time.
func ExampleAccessKey() {
	drs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := r.Header.Get("Authorization")
		fmt.Println(a[:strings.Index(a, ", Signature=")])
		fmt.Println("X-Sdk-Date:", r.Header.Get("X-Sdk-Date"))
		fmt.Println("X-Project-Id:", r.Header.Get("X-Project-Id"))
	}))
	defer drs.Close()

	drsURL, _ := endpoint.Parse(drs.URL, false)
	client := auth.NewHTTPClient(&auth.Transport{
		Credentials: auth.AccessKey{
			ID:        "QTWAOYTTINDUT2QVKYUC",
			Secret:    "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
			ProjectID: "0123456789abcdef0123456789abcdef",
		},
		Endpoint: drsURL,
		Now:      func() time.Time { return time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC) },
	})
	resp, err := client.Get(drs.URL + "/v5/0123456789abcdef0123456789abcdef/templates?offset=0&limit=10")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = resp.Body.Close()
	// Output:
	// SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=user-agent;x-project-id;x-sdk-date
	// X-Sdk-Date: 20250703T094412Z
	// X-Project-Id: 0123456789abcdef0123456789abcdef
}

// A user name and password are turned into a token once, which is then
// reused until shortly before it expires.
func ExampleNewPassword() {
	logins := 0
	cloud := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" { // IAM
			logins++
			w.Header().Set("X-Subject-Token", "MIIEXAMPLE...")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			expires := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
			_, _ = fmt.Fprintf(w, `{"token":{"expires_at":%q,"project":{"id":"0123456789abcdef0123456789abcdef"}}}`, expires)
			return
		}
		if r.Header.Get("X-Auth-Token") != "MIIEXAMPLE..." { // DRS
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer cloud.Close()

	cloudURL, _ := endpoint.Parse(cloud.URL, false) // IAM and DRS on one test server
	creds, err := auth.NewPassword(auth.PasswordLogin{
		IAMEndpoint: cloudURL, // in production: endpoint.Config{Region: "cn-north-4"}.IAM()
		Account:     "example-account",
		User:        "example-user",
		Password:    "example-password",
		ProjectName: "cn-north-4",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := auth.NewHTTPClient(&auth.Transport{Credentials: creds, Endpoint: cloudURL})
	for range 3 {
		resp, err := client.Get(cloud.URL + "/v5/0123456789abcdef0123456789abcdef/templates")
		if err != nil {
			fmt.Println(err)
			return
		}
		_ = resp.Body.Close()
		fmt.Println(resp.Status)
	}
	fmt.Println("IAM logins:", logins)
	// Formatting never shows the password or the token.
	fmt.Println(strings.ReplaceAll(fmt.Sprint(creds), cloud.URL, "<IAM URL>"))
	// Output:
	// 200 OK
	// 200 OK
	// 200 OK
	// IAM logins: 1
	// IAM password login (user example-user of account example-account, password REDACTED, project cn-north-4, IAM <IAM URL>)
}

// Chain finds the credentials in explicit settings, the environment or the
// SDK profile file. LookupEnv stands in for the process environment here.
func ExampleChain() {
	env := map[string]string{
		"HUAWEICLOUD_SDK_AK":         "QTWAOYTTINDUT2QVKYUC",
		"HUAWEICLOUD_SDK_SK":         "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
		"HUAWEICLOUD_SDK_PROJECT_ID": "0123456789abcdef0123456789abcdef",
	}
	chain := auth.Chain{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	found, err := chain.Resolve()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(found.Credentials, "from the", found.Source)

	env["DRSTEMPLATE_TOKEN"] = "MIIEXAMPLE..."
	_, err = chain.Resolve()
	fmt.Println(errors.Is(err, auth.ErrAmbiguousCredentials))
	fmt.Println(err)
	// Output:
	// AK/SK (access key QTWAOYTTINDUT2QVKYUC, secret key REDACTED, project 0123456789abcdef0123456789abcdef) from the environment
	// true
	// auth: more than one way to authenticate is configured: the environment sets a token (DRSTEMPLATE_TOKEN) and an access key (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK); keep one
}

// A refusal comes back as a response, like every other answer; Refusal
// says what kind it is, from the response and the body read from it.
func ExampleRefusal() {
	drs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Thu, 03 Jul 2025 09:00:00 GMT")
		w.Header().Set("X-Request-Id", "9f6c0dbd8b4c4e6b")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error_code":"APIGW.0303","error_msg":"Incorrect app authentication information: signature expired"}`)
	}))
	defer drs.Close()

	drsURL, _ := endpoint.Parse(drs.URL, false)
	client := auth.NewHTTPClient(&auth.Transport{
		Credentials: auth.AccessKey{ID: "QTWAOYTTINDUT2QVKYUC", Secret: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"},
		Endpoint:    drsURL,
		Now:         func() time.Time { return time.Date(2025, 7, 3, 9, 20, 0, 0, time.UTC) }, // 20 minutes fast
	})
	resp, err := client.Get(drs.URL + "/v5/0123456789abcdef0123456789abcdef/templates")
	if err != nil {
		fmt.Println(err) // no response: a network error, never a refusal
		return
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Println(resp.StatusCode, strings.Contains(string(body), "APIGW.0303"))

	refusal := auth.Refusal(resp, body)
	var skew *auth.ClockSkewError
	if errors.As(refusal, &skew) {
		fmt.Println(skew.Skew)
	}
	fmt.Println(errors.Is(refusal, auth.ErrClockSkew), errors.Is(refusal, auth.ErrUnauthorized))
	fmt.Println(refusal)
	// Output:
	// 401 true
	// 20m0s
	// true true
	// auth: the local clock is off: it is 20m0s ahead of the server's clock; synchronise it (e.g. with NTP) and retry
}
