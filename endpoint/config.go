package endpoint

import (
	"net/url"
	"strings"

	"github.com/drs-tools/drstemplate/internal/envvar"
)

// Environment variables read by [Config] (the official SDK's names).
const (
	// EnvIAMEndpoint overrides the IAM endpoint for every region.
	EnvIAMEndpoint = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
	// EnvDRSPrefix, followed by the region id upper-cased with '-' as '_'
	// (e.g. HUAWEICLOUD_SDK_REGION_DRS_CN_NORTH_4), overrides the DRS
	// endpoint of that region. The value may list several endpoints
	// separated by commas; the first is used.
	EnvDRSPrefix = "HUAWEICLOUD_SDK_REGION_DRS_"
)

// Config says where to find the services. The zero value reads overrides
// from the process environment and requires https for non-loopback hosts.
//
// This package is the one place that reads the environment overrides
// ([EnvDRSPrefix]…, [EnvIAMEndpoint]).
type Config struct {
	// Region is the region id, e.g. "cn-north-4".
	Region string
	// DRSEndpoint, when set, is the DRS endpoint: it wins over the
	// environment and the built-in endpoint. Like the environment's values
	// it may omit the scheme ("drs.example.com" means
	// https://drs.example.com). It does not affect [Config.IAM].
	DRSEndpoint string
	// IAMEndpoint, when set, is the IAM endpoint: it wins over
	// HUAWEICLOUD_SDK_IAM_ENDPOINT and the built-in endpoint, and may omit
	// the scheme. It does not affect [Config.DRS].
	IAMEndpoint string
	// LookupEnv reads environment variables; nil means os.LookupEnv.
	LookupEnv func(key string) (string, bool)
	// AllowHTTP permits plain http:// endpoints on non-loopback hosts
	// (credentials then travel unencrypted). It is passed to [Parse], the
	// one place where the module decides this.
	AllowHTTP bool
}

// DRS returns the DRS endpoint: c.DRSEndpoint if set, else the region's
// HUAWEICLOUD_SDK_REGION_DRS_<REGION> variable (its first entry), else the
// built-in endpoint of c.Region, https://drs.{region}.myhuaweicloud.com
// (https://drs.eu-west-101.myhuaweicloud.eu for eu-west-101). The result has
// passed [Parse] with c.AllowHTTP, and is the caller's to keep.
func (c Config) DRS() (*url.URL, error) {
	if c.DRSEndpoint != "" {
		return Parse(withScheme(c.DRSEndpoint), c.AllowHTTP)
	}
	if err := ValidateRegion(c.Region); err != nil {
		return nil, err
	}
	if v := envvar.Lookup(c.LookupEnv).Get(EnvDRSPrefix + envSuffix(c.Region)); v != "" {
		return Parse(withScheme(first(v)), c.AllowHTTP)
	}
	return builtinDRS(c.Region)
}

// IAM returns the IAM endpoint: c.IAMEndpoint if set, else
// HUAWEICLOUD_SDK_IAM_ENDPOINT, else the built-in endpoint of c.Region,
// https://iam.{region}.myhuaweicloud.com (…myhuaweicloud.eu for eu-west-101;
// [GlobalIAM] when c.Region is empty). The result has passed [Parse] with
// c.AllowHTTP, and is the caller's to keep.
func (c Config) IAM() (*url.URL, error) {
	if c.IAMEndpoint != "" {
		return Parse(withScheme(c.IAMEndpoint), c.AllowHTTP)
	}
	if v := envvar.Lookup(c.LookupEnv).Get(EnvIAMEndpoint); v != "" {
		return Parse(withScheme(v), c.AllowHTTP)
	}
	return builtinIAM(c.Region)
}

// envSuffix turns a (validated) region id into its variable suffix:
// "cn-north-4" → "CN_NORTH_4".
func envSuffix(region string) string {
	return strings.ReplaceAll(strings.ToUpper(region), "-", "_")
}

// first returns the first entry of a comma-separated list.
func first(list string) string {
	v, _, _ := strings.Cut(list, ",")
	return strings.TrimSpace(v)
}

// withScheme prefixes https:// to a value without a scheme, as the SDK does
// for its endpoint variables.
func withScheme(v string) string {
	if strings.Contains(v, "://") {
		return v
	}
	return "https://" + v
}
