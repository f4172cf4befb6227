package endpoint

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// maxEcho bounds how much of an outside value an error message quotes.
const maxEcho = 64

// maxRegionLen bounds a region id; real ones are under 20 characters.
const maxRegionLen = 63

// ErrInvalidRegion reports a region id that is not shaped like one.
var ErrInvalidRegion = errors.New("endpoint: invalid region id")

// ValidateRegion reports whether region is shaped like a Huawei Cloud region
// id: 1 to 63 characters, groups of lower-case ASCII letters and digits
// joined by single hyphens (e.g. "cn-north-4", "ap-southeast-1"). It does not
// check that the region exists. The error wraps [ErrInvalidRegion].
func ValidateRegion(region string) error {
	ok := region != "" && len(region) <= maxRegionLen &&
		region[0] != '-' && region[len(region)-1] != '-' && !strings.Contains(region, "--")
	for i := 0; ok && i < len(region); i++ {
		c := region[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("%w %q: want lower-case letters and digits in hyphen-separated groups, like cn-north-4", ErrInvalidRegion, clip.String(region, maxEcho))
	}
	return nil
}

// domain returns the parent domain of a region's public endpoints: the one
// exception the official SDK knows is eu-west-101, served under
// myhuaweicloud.eu.
func domain(region string) string {
	if region == "eu-west-101" {
		return "myhuaweicloud.eu"
	}
	return "myhuaweicloud.com"
}

// builtinDRS returns the built-in DRS endpoint of a region,
// https://drs.{region}.myhuaweicloud.com (https://drs.eu-west-101.myhuaweicloud.eu
// for eu-west-101).
func builtinDRS(region string) (*url.URL, error) {
	if err := ValidateRegion(region); err != nil {
		return nil, err
	}
	return &url.URL{Scheme: "https", Host: "drs." + region + "." + domain(region)}, nil
}

// builtinIAM returns the built-in IAM endpoint of a region,
// https://iam.{region}.myhuaweicloud.com (…myhuaweicloud.eu for eu-west-101),
// or [GlobalIAM] when region is empty.
func builtinIAM(region string) (*url.URL, error) {
	if region == "" {
		return &url.URL{Scheme: "https", Host: strings.TrimPrefix(GlobalIAM, "https://")}, nil
	}
	if err := ValidateRegion(region); err != nil {
		return nil, err
	}
	return &url.URL{Scheme: "https", Host: "iam." + region + "." + domain(region)}, nil
}

// GlobalIAM is the global IAM endpoint; it issues tokens for every region.
const GlobalIAM = "https://iam.myhuaweicloud.com"
