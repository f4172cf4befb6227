package localfile

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
)

// Temporary files are named after the machine and the process writing
// them: ".drstemplate-{host}-{pid}-{random}.part", host being a short hash
// of the host name, so that [Dir.Sweep] can tell whose they are. A process
// killed midway leaves its file behind; the next sweep of that directory on
// the same machine removes it once that process is gone. Files of other
// machines (a shared file system, another container) are left alone: their
// processes cannot be seen from here.
const (
	tempPrefix = ".drstemplate-"
	tempSuffix = ".part"
)

// tempStem is the start of this process's temporary file names.
func tempStem() string {
	return tempPrefix + hostTag() + "-" + strconv.Itoa(os.Getpid()) + "-"
}

// hostTag is a short hash of the host name, for temporary file names.
func hostTag() string {
	name, _ := os.Hostname()
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:4])
}

// Sweep removes the temporary files in d that processes of this machine
// which no longer run left behind (killed while writing), and returns
// their names. Files of running processes, this one included, and of other
// machines are left alone; so is everything where it cannot tell whether
// the writer still runs (on systems other than Unix, that is every file).
// It is best effort: what cannot be read or removed is left.
func (d *Dir) Sweep() []string {
	f, err := d.root.Open(".")
	if err != nil {
		return nil
	}
	entries, err := f.ReadDir(-1)
	_ = f.Close()
	if err != nil {
		return nil
	}
	host := hostTag()
	var removed []string
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), tempPrefix+host+"-")
		if !ok || !strings.HasSuffix(rest, tempSuffix) || !e.Type().IsRegular() {
			continue
		}
		digits, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(digits)
		if err != nil || pid <= 0 || pid == os.Getpid() || processRuns(pid) {
			continue
		}
		if d.root.Remove(e.Name()) == nil {
			removed = append(removed, e.Name())
		}
	}
	return removed
}
