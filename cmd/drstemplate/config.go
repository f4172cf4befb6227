package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// Environment variables of the CLI, besides those package auth reads
// (HUAWEICLOUD_SDK_*, DRSTEMPLATE_TOKEN, DRSTEMPLATE_IAM_*). A flag wins
// over its variable.
const (
	envRegion   = "DRSTEMPLATE_REGION"   // --region
	envEndpoint = "DRSTEMPLATE_ENDPOINT" // --endpoint
	envLanguage = "DRSTEMPLATE_LANGUAGE" // --language
)

// errNoPassword: a password login lacks its password and there is no
// terminal to ask for it on.
var errNoPassword = errors.New("the IAM password login has no password")

// maxSecretFile bounds a --token-file or --password-file.
const maxSecretFile = 64 << 10

// cloudConfig is how a command that calls DRS reaches it: the flags shared
// by export, status, list and download, turned into client options.
type cloudConfig struct {
	region, endpoint, projectID, language string
	timeout                               time.Duration
	tokenFile, passwordFile               string
	iamAccount, iamUser                   string

	// accessKey and secretKey are set by demo (the fake's AK/SK), never by
	// a flag: a secret on a command line ends up in shell history.
	accessKey, secretKey string
}

// addCloudFlags adds the flags of cfg to cmd.
func addCloudFlags(cmd *cobra.Command, cfg *cloudConfig) {
	fl := cmd.Flags()
	fl.StringVar(&cfg.region, "region", "", "region, e.g. cn-north-4 (env "+envRegion+"); DRS v5 is not in every region")
	fl.StringVar(&cfg.endpoint, "endpoint", "", "DRS endpoint URL instead of the region's (env "+envEndpoint+"): https, or http to loopback")
	fl.StringVar(&cfg.projectID, "project-id", "", "project id, 32 hex characters (env "+auth.EnvProjectID+", or the profile file)")
	fl.StringVar(&cfg.language, "language", "", "language of DRS's messages: en-us or zh-cn (env "+envLanguage+")")
	durationVar(fl, &cfg.timeout, "timeout", 0, "give up after this long, e.g. 10m (exit 3); 0 for no limit")
	fl.StringVar(&cfg.tokenFile, "token-file", "", "read an IAM token from this file ('-' for standard input) instead of "+auth.EnvToken)
	fl.StringVar(&cfg.iamAccount, "iam-account", "", "IAM account (domain) name for a password login (env "+auth.EnvIAMAccount+")")
	fl.StringVar(&cfg.iamUser, "iam-user", "", "IAM user name for a password login (env "+auth.EnvIAMUser+")")
	fl.StringVar(&cfg.passwordFile, "password-file", "", "read the IAM password from this file ('-' for standard input); without it a terminal prompts")
}

// withTimeout bounds ctx by --timeout.
func (cfg *cloudConfig) withTimeout(ctx context.Context) (context.Context, context.CancelFunc, error) {
	switch {
	case cfg.timeout < 0:
		return nil, nil, usagef("--timeout %v must not be negative", cfg.timeout)
	case cfg.timeout == 0:
		ctx, cancel := context.WithCancel(ctx)
		return ctx, cancel, nil
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	return ctx, cancel, nil
}

// newClient builds the client: flags > environment > the profile file.
func (cfg *cloudConfig) newClient(cmd *cobra.Command, g *globals, logTo io.Writer, extra ...drstemplate.Option) (*drstemplate.Client, error) {
	region := cmp.Or(cfg.region, envGet(envRegion))
	endpoint := cmp.Or(cfg.endpoint, envGet(envEndpoint))
	if region == "" && endpoint == "" {
		return nil, usagef("no region: set --region or %s (e.g. cn-north-4), or --endpoint", envRegion)
	}
	creds, err := cfg.credentials(cmd, region)
	if err != nil {
		return nil, err
	}
	opts := []drstemplate.Option{drstemplate.WithCredentials(creds.Credentials), drstemplate.WithUserAgent("cli")}
	if region != "" {
		opts = append(opts, drstemplate.WithRegion(region))
	}
	if endpoint != "" {
		opts = append(opts, drstemplate.WithEndpoint(endpoint))
	}
	if creds.ProjectID != "" {
		opts = append(opts, drstemplate.WithProjectID(creds.ProjectID))
	}
	if lang := cmp.Or(cfg.language, envGet(envLanguage)); lang != "" {
		opts = append(opts, drstemplate.WithLanguage(lang))
	}
	switch {
	case g.verbose:
		opts = append(opts, drstemplate.WithLogger(slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		_, _ = fmt.Fprintf(logTo, "drstemplate: credentials from the %s\n", creds.Source)
	case !g.quiet:
		opts = append(opts, drstemplate.WithLogger(slog.New(retryNotices{logTo})))
	}
	c, err := drstemplate.New(append(opts, extra...)...)
	if errors.Is(err, drstemplate.ErrNoProjectID) {
		// The library's message names its option; a user of the command
		// sets a flag, a variable or the profile file.
		return nil, usagef("no project id: give --project-id, set %s, or put project_id in the profile file (%s, or the file %s names)",
			auth.EnvProjectID, "~/.huaweicloud/credentials", auth.EnvCredentialsFile)
	}
	if err != nil {
		return nil, err
	}
	if g.verbose {
		_, _ = fmt.Fprintf(logTo, "drstemplate: DRS endpoint %s (every call goes to a path under it)\n", c.Endpoint())
	}
	return c, nil
}

// credentials resolves an auth.Chain of the flags over the environment and
// the profile file. A password login without its password asks for it on
// the terminal, without echo, when standard input is one.
func (cfg *cloudConfig) credentials(cmd *cobra.Command, region string) (auth.Resolved, error) {
	chain := auth.Chain{
		ProjectID: cfg.projectID, Region: region,
		Account: cfg.iamAccount, User: cfg.iamUser,
		AccessKey: cfg.accessKey, SecretKey: cfg.secretKey,
	}
	var err error
	if cfg.tokenFile == "-" && cfg.passwordFile == "-" {
		return auth.Resolved{}, usagef("--token-file and --password-file cannot both read standard input")
	}
	if cfg.tokenFile != "" {
		if chain.Token, err = readSecret(cmd.InOrStdin(), cfg.tokenFile, "--token-file"); err != nil {
			return auth.Resolved{}, err
		}
	}
	if cfg.passwordFile != "" {
		if chain.Password, err = readSecret(cmd.InOrStdin(), cfg.passwordFile, "--password-file"); err != nil {
			return auth.Resolved{}, err
		}
	}
	explicit := chain.Token != "" || chain.AccessKey != "" || chain.Account != "" || chain.User != "" || chain.Password != ""
	switch {
	case chain.Account != "" && chain.User != "" && chain.Password == "" && chain.Token == "":
		if chain.Password, err = promptPassword(cmd, chain.User); err != nil {
			return auth.Resolved{}, err
		}
	case !explicit && envGet(auth.EnvIAMAccount) != "" && envGet(auth.EnvIAMUser) != "" && envGet(auth.EnvIAMPassword) == "" &&
		envGet(auth.EnvToken) == "" && envGet(auth.EnvAccessKey) == "":
		// The login is configured in the environment: the password read
		// here joins it there, so that precedence is unchanged.
		pw, err := promptPassword(cmd, envGet(auth.EnvIAMUser))
		if err != nil {
			return auth.Resolved{}, err
		}
		chain.LookupEnv = func(k string) (string, bool) {
			if k == auth.EnvIAMPassword {
				return pw, true
			}
			return os.LookupEnv(k)
		}
	}
	return chain.Resolve()
}

// envGet returns an environment variable, trimmed.
func envGet(k string) string { return strings.TrimSpace(os.Getenv(k)) }

// readSecret reads a token or password from path ('-': standard input):
// its first line, trimmed. It never puts the contents in an error.
func readSecret(stdin io.Reader, path, flag string) (string, error) {
	var r io.Reader
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", usagef("%s: %w", flag, err)
		}
		defer func() { _ = f.Close() }()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecretFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: reading %s: %w", flag, path, err)
	}
	if len(b) > maxSecretFile {
		return "", usagef("%s: %s is larger than %d bytes; it should hold only the secret", flag, path, maxSecretFile)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	secret := strings.TrimSpace(line)
	if secret == "" {
		return "", usagef("%s: %s is empty", flag, path)
	}
	return secret, nil
}

// promptPassword asks for the password of user on the terminal, without
// echo. Without a terminal on standard input it fails with errNoPassword.
func promptPassword(cmd *cobra.Command, user string) (string, error) {
	in, ok := cmd.InOrStdin().(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) { //nolint:gosec // a file descriptor fits an int
		return "", fmt.Errorf("%w: pass --password-file, set %s, or run in a terminal to be asked", errNoPassword, auth.EnvIAMPassword)
	}
	_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "IAM password for %s: ", escapeControl(user))
	b, err := term.ReadPassword(int(in.Fd())) //nolint:gosec // a file descriptor fits an int
	_, _ = fmt.Fprintln(cmd.ErrOrStderr())
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("%w: an empty password was typed", errNoPassword)
	}
	return pw, nil
}
