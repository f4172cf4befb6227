package auth

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/drs-tools/drstemplate/auth/internal/ini"
	"github.com/drs-tools/drstemplate/internal/envvar"
)

// profilePath returns the profile file to read: [EnvCredentialsFile] if
// set, else ~/.huaweicloud/credentials if it exists, else "".
func (c Chain) profilePath() (string, error) {
	getenv := envvar.Lookup(c.LookupEnv).Get
	if p := getenv(EnvCredentialsFile); p != "" {
		return p, nil
	}
	var home string
	if c.LookupEnv == nil {
		home, _ = os.UserHomeDir()
	} else if runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	} else {
		home = getenv("HOME")
	}
	if home == "" {
		return "", nil
	}
	p := filepath.Join(home, ".huaweicloud", "credentials")
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return p, nil
}

// readProfile reads the [basic] section of a profile file; a file without
// one gives nil. The file must be one [openTrusted] trusts, as the token
// cache must: a regular file of this user's that nobody else can read or
// write (a symbolic link to one is followed). Anything else is an error,
// returned without blocking (on a FIFO, say) and without reading the file.
func readProfile(path string) (*level, error) {
	f, _, err := openTrusted(path, true)
	if err != nil {
		return nil, refusedProfile(path, err)
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, ini.MaxSize+1))
	if err != nil {
		return nil, refusedProfile(path, err)
	}
	sections, err := ini.Parse(data)
	if err != nil {
		return nil, refusedProfile(path, err)
	}
	basic, ok := sections["basic"]
	if !ok {
		return nil, nil
	}
	key := func(name string) setting { return setting{basic[name].Value, name, basic[name].Line} }
	l := &level{
		source: "profile file " + path,
		ak:     key("ak"), sk: key("sk"), securityToken: key("security_token"), projectID: key("project_id"),
	}
	if len(l.methods()) == 0 && (basic["idp_id"].Value != "" || basic["id_token_file"].Value != "") {
		return nil, fmt.Errorf("%w: profile file %s uses federated identity (idp_id, id_token_file), which drstemplate does not support; use ak and sk",
			ErrNoCredentials, path)
	}
	return l, nil
}

// refusedProfile is readProfile's error for a profile file it cannot use
// (missing, untrusted, unreadable, malformed): credentials that are
// configured but cannot be used, matching ErrInvalidCredentials.
func refusedProfile(path string, err error) error {
	return fmt.Errorf("%w: profile file %s: %w", ErrInvalidCredentials, path, err)
}

// looksLikeInlineComment reports whether a value from the profile file
// holds what its writer probably meant as a comment ("AK # mine").
func looksLikeInlineComment(v string) bool {
	return strings.Contains(v, " #") || strings.Contains(v, "\t#") || strings.Contains(v, " ;") || strings.Contains(v, "\t;")
}
