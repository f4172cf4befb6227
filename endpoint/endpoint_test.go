package endpoint

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateRegion(t *testing.T) {
	valid := []string{"cn-north-4", "eu-west-101", "ap-southeast-1", "my-kualalumpur-1", "x", "a1", strings.Repeat("a", 63)}
	for _, r := range valid {
		if err := ValidateRegion(r); err != nil {
			t.Errorf("ValidateRegion(%q) = %v, want nil", r, err)
		}
	}
	invalid := []string{
		"", "CN-NORTH-4", "cn_north_4", "-cn", "cn-", "cn--north", "cn.north", "cn/north",
		"evil.com/", "a@b", "cn north", "cn-north-4\n", "é", strings.Repeat("a", 64),
		"cn-north-4.attacker.com", "127.0.0.1:80",
	}
	for _, r := range invalid {
		err := ValidateRegion(r)
		if !errors.Is(err, ErrInvalidRegion) {
			t.Errorf("ValidateRegion(%q) = %v, want ErrInvalidRegion", r, err)
		}
	}
	// A long value is quoted cut, and never in the middle of a rune.
	err := ValidateRegion("a" + strings.Repeat("é", 100))
	if err == nil || !utf8.ValidString(err.Error()) || strings.Contains(err.Error(), `\x`) || len(err.Error()) > 250 {
		t.Errorf("ValidateRegion(long) = %q: want a short, valid UTF-8 message", err)
	}
}

func TestBuiltIn(t *testing.T) {
	tests := []struct {
		region, drs, iam string
	}{
		{"cn-north-4", "https://drs.cn-north-4.myhuaweicloud.com", "https://iam.cn-north-4.myhuaweicloud.com"},
		{"ap-southeast-1", "https://drs.ap-southeast-1.myhuaweicloud.com", "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{"eu-west-101", "https://drs.eu-west-101.myhuaweicloud.eu", "https://iam.eu-west-101.myhuaweicloud.eu"},
		{"xx-unknown-9", "https://drs.xx-unknown-9.myhuaweicloud.com", "https://iam.xx-unknown-9.myhuaweicloud.com"},
	}
	for _, tt := range tests {
		drs, err := builtinDRS(tt.region)
		if err != nil || drs.String() != tt.drs {
			t.Errorf("DRS(%q) = %q, %v; want %q", tt.region, drs, err, tt.drs)
		}
		iam, err := builtinIAM(tt.region)
		if err != nil || iam.String() != tt.iam {
			t.Errorf("IAM(%q) = %q, %v; want %q", tt.region, iam, err, tt.iam)
		}
	}
	if got, err := builtinIAM(""); err != nil || got.String() != GlobalIAM {
		t.Errorf("IAM(\"\") = %q, %v; want %q", got, err, GlobalIAM)
	}
	if _, err := builtinDRS(""); !errors.Is(err, ErrInvalidRegion) {
		t.Errorf("DRS(\"\") error = %v, want ErrInvalidRegion", err)
	}
	if _, err := builtinIAM("a/b"); !errors.Is(err, ErrInvalidRegion) {
		t.Errorf("IAM(\"a/b\") error = %v, want ErrInvalidRegion", err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		raw       string
		allowHTTP bool
		want      string // "" means an error is expected
	}{
		{"https://drs.cn-north-4.myhuaweicloud.com", false, "https://drs.cn-north-4.myhuaweicloud.com"},
		{"HTTPS://DRS.Example.COM:443/", false, "https://drs.example.com"},
		{"https://proxy.example.com:8443/drs/", false, "https://proxy.example.com:8443/drs"},
		{"http://127.0.0.1:8080", false, "http://127.0.0.1:8080"},
		{"http://127.9.9.9:80/", false, "http://127.9.9.9"},
		{"http://localhost:1234", false, "http://localhost:1234"},
		{"http://[::1]:1234", false, "http://[::1]:1234"},
		{"https://[2001:db8::1]", false, "https://[2001:db8::1]"},
		{"http://drsfake:8080", true, "http://drsfake:8080"},
		{"http://drsfake:8080", false, ""},
		{"http://10.0.0.1", false, ""},
		{"http://localhost.attacker.com", false, ""},
		{"ftp://example.com", false, ""},
		{"drs.cn-north-4.myhuaweicloud.com", false, ""},
		{"//example.com", false, ""},
		{"https://", false, ""},
		{"https://user:secret@example.com", false, ""},
		{"https://example.com?token=secret", false, ""},
		{"https://example.com?", false, ""},
		{"https://example.com#frag", false, ""},
		{"https://exa mple.com", false, ""},
		{"https://example.com%2f.evil", false, ""},
		{"https://[fe80::1%25eth0]", false, ""},
		{"https://-bad.example.com", false, ""},
		{"mailto:x@example.com", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.raw, tt.allowHTTP)
		if tt.want == "" {
			if err == nil || !errors.Is(err, ErrInvalidEndpoint) {
				t.Errorf("Parse(%q, %v) = %v, %v; want ErrInvalidEndpoint", tt.raw, tt.allowHTTP, got, err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("Parse(%q) error %q echoes a secret", tt.raw, err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("Parse(%q, %v) = %v, %v; want %q", tt.raw, tt.allowHTTP, got, err, tt.want)
		}
	}
}

// Parse returns a URL of the caller's own: changing it changes nothing else.
func TestParseReturnsANewURL(t *testing.T) {
	a, err := Parse("https://drs.example.com/prefix", false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse("https://drs.example.com/prefix", false)
	a.Host = "changed.example.com"
	if b.String() != "https://drs.example.com/prefix" {
		t.Fatalf("second Parse = %v", b)
	}
}

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	tests := []struct {
		name   string
		cfg    Config
		drs    string
		iam    string
		drsErr error
		iamErr error
	}{
		{
			name: "built-in",
			cfg:  Config{Region: "cn-north-4", LookupEnv: env(nil)},
			drs:  "https://drs.cn-north-4.myhuaweicloud.com",
			iam:  "https://iam.cn-north-4.myhuaweicloud.com",
		},
		{
			name: "environment overrides, first entry of a list, scheme added",
			cfg: Config{Region: "cn-north-4", LookupEnv: env(map[string]string{
				"HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_4": " drs.internal.example.com , https://second.example.com",
				"HUAWEICLOUD_SDK_IAM_ENDPOINT":          "https://iam.internal.example.com/",
				"HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_1": "https://other-region.example.com",
			})},
			drs: "https://drs.internal.example.com",
			iam: "https://iam.internal.example.com",
		},
		{
			name: "explicit endpoints win over environment",
			cfg: Config{Region: "cn-north-4", DRSEndpoint: "http://127.0.0.1:9000", IAMEndpoint: "http://127.0.0.1:9001",
				LookupEnv: env(map[string]string{
					"HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_4": "https://env.example.com",
					"HUAWEICLOUD_SDK_IAM_ENDPOINT":          "https://env.example.com",
				})},
			drs: "http://127.0.0.1:9000",
			iam: "http://127.0.0.1:9001",
		},
		{
			name: "an explicit DRS endpoint leaves IAM to the region",
			cfg:  Config{Region: "cn-north-4", DRSEndpoint: "https://drs.example.com", LookupEnv: env(nil)},
			drs:  "https://drs.example.com",
			iam:  "https://iam.cn-north-4.myhuaweicloud.com",
		},
		{
			name: "an explicit DRS endpoint leaves IAM to the environment",
			cfg: Config{Region: "cn-north-4", DRSEndpoint: "https://drs.example.com", LookupEnv: env(map[string]string{
				"HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.env.example.com",
			})},
			drs: "https://drs.example.com",
			iam: "https://iam.env.example.com",
		},
		{
			name: "an explicit IAM endpoint leaves DRS to the region",
			cfg:  Config{Region: "cn-north-4", IAMEndpoint: "https://iam.example.com", LookupEnv: env(nil)},
			drs:  "https://drs.cn-north-4.myhuaweicloud.com",
			iam:  "https://iam.example.com",
		},
		{
			name: "explicit DRS endpoint needs no region; IAM is then global",
			cfg:  Config{DRSEndpoint: "https://drs.example.com", LookupEnv: env(nil)},
			drs:  "https://drs.example.com",
			iam:  GlobalIAM,
		},
		{
			name: "explicit endpoints without a scheme are https",
			cfg:  Config{DRSEndpoint: "drs.example.com:8443", IAMEndpoint: "iam.example.com", LookupEnv: env(nil)},
			drs:  "https://drs.example.com:8443",
			iam:  "https://iam.example.com",
		},
		{
			name:   "explicit endpoints are checked",
			cfg:    Config{Region: "cn-north-4", DRSEndpoint: "http://drs.example.com", IAMEndpoint: "https://u:p@iam.example.com", LookupEnv: env(nil)},
			drsErr: ErrInvalidEndpoint,
			iamErr: ErrInvalidEndpoint,
		},
		{
			name:   "no region: DRS refuses, IAM is global",
			cfg:    Config{LookupEnv: env(nil)},
			drsErr: ErrInvalidRegion,
			iam:    GlobalIAM,
		},
		{
			name: "environment overrides are checked too",
			cfg: Config{Region: "cn-north-4", LookupEnv: env(map[string]string{
				"HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_4": "http://plain.example.com",
				"HUAWEICLOUD_SDK_IAM_ENDPOINT":          "https://u:p@iam.example.com",
			})},
			drsErr: ErrInvalidEndpoint,
			iamErr: ErrInvalidEndpoint,
		},
		{
			name: "AllowHTTP admits plain http anywhere",
			cfg: Config{Region: "cn-north-4", AllowHTTP: true, LookupEnv: env(map[string]string{
				"HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_4": "http://drsfake:8080",
				"HUAWEICLOUD_SDK_IAM_ENDPOINT":          "http://drsfake:8080",
			})},
			drs: "http://drsfake:8080",
			iam: "http://drsfake:8080",
		},
		{
			name:   "invalid region is refused before any lookup",
			cfg:    Config{Region: "cn-north-4.evil.com/x", LookupEnv: env(nil)},
			drsErr: ErrInvalidRegion,
			iamErr: ErrInvalidRegion,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drs, err := tt.cfg.DRS()
			check(t, "DRS", drs, err, tt.drs, tt.drsErr)
			iam, err := tt.cfg.IAM()
			check(t, "IAM", iam, err, tt.iam, tt.iamErr)
		})
	}
}

func check(t *testing.T, what string, got *url.URL, err error, want string, wantErr error) {
	t.Helper()
	if wantErr != nil {
		if !errors.Is(err, wantErr) || got != nil {
			t.Errorf("%s() = %v, %v; want error %v", what, got, err, wantErr)
		}
		return
	}
	if err != nil || got.String() != want {
		t.Errorf("%s() = %v, %v; want %q", what, got, err, want)
	}
}

func TestConfigReadsProcessEnvironment(t *testing.T) {
	t.Setenv("HUAWEICLOUD_SDK_REGION_DRS_AP_SOUTHEAST_1", "https://from-env.example.com")
	got, err := Config{Region: "ap-southeast-1"}.DRS()
	if err != nil || got.String() != "https://from-env.example.com" {
		t.Fatalf("DRS() = %v, %v; want the process environment's override", got, err)
	}
}
