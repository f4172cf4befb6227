// Package version reports the version of drstemplate built into the running
// program, for the CLI's version command and the client's User-Agent.
package version

import "runtime/debug"

// modulePath is the path of the drstemplate module.
const modulePath = "github.com/drs-tools/drstemplate"

// Get returns the version of the drstemplate module in this build: its
// module version when built from a tagged release or imported as a
// dependency ("v1.2.3"), else "devel" followed by the VCS revision when the
// build recorded one.
func Get() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return fromBuildInfo(info)
}

// fromBuildInfo finds drstemplate's version in info.
func fromBuildInfo(info *debug.BuildInfo) string {
	mod := &info.Main
	if mod.Path != modulePath {
		mod = nil
		for _, d := range info.Deps {
			if d.Path == modulePath {
				mod = d
				break
			}
		}
	}
	if mod != nil && mod.Version != "" && mod.Version != "(devel)" {
		return mod.Version
	}
	v := "devel"
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "-" + s.Value[:12]
		}
	}
	return v
}
