package benchproc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// callsPrefix begins the line fake-server prints when it stops.
const callsPrefix = "drsfake: calls:"

// Calls are the requests a fake received per operation (its operationId,
// e.g. "ListTemplates"), as fake-server prints them when it stops.
type Calls map[string]int64

// Total is the number of requests of every operation.
func (c Calls) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// errNoCalls says that the output holds no calls line.
var errNoCalls = errors.New("no \"" + callsPrefix + "\" line")

// ParseCalls reads the calls line out of fake-server's output: "drsfake:
// calls:" followed by operation=count pairs, or by "none".
func ParseCalls(output string) (Calls, error) {
	for line := range strings.Lines(output) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), callsPrefix)
		if !ok {
			continue
		}
		calls := Calls{}
		fields := strings.Fields(rest)
		if len(fields) == 1 && fields[0] == "none" {
			return calls, nil
		}
		for _, f := range fields {
			op, count, ok := strings.Cut(f, "=")
			n, err := strconv.ParseInt(count, 10, 64)
			if !ok || op == "" || err != nil || n < 0 {
				return nil, fmt.Errorf("calls line: %q is not operation=count", f)
			}
			if _, dup := calls[op]; dup {
				return nil, fmt.Errorf("calls line: %s given twice", op)
			}
			calls[op] = n
		}
		if len(calls) == 0 {
			return nil, errors.New("calls line: empty")
		}
		return calls, nil
	}
	return nil, errNoCalls
}
