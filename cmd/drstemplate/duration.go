package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// durationValue is a time.Duration flag whose error for a bare number
// ("--timeout 2") says to add a unit, where time.ParseDuration says only
// "missing unit in duration".
type durationValue time.Duration

// durationVar defines a duration flag on fl, as fl.DurationVar does.
func durationVar(fl *pflag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fl.Var((*durationValue)(p), name, usage)
}

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err == nil {
		*d = durationValue(v)
		return nil
	}
	if n, nerr := strconv.ParseFloat(s, 64); nerr == nil && n != 0 {
		return fmt.Errorf("%s has no unit: use a unit, e.g. %sm (minutes) or %ss (seconds)", s, s, s)
	}
	return fmt.Errorf("%q is not a duration: use a number and a unit, e.g. 90s, 10m or 1h30m", s)
}

// String is the value as time.Duration prints it, but "0" for zero: so
// the help shows no "(default 0s)", as for DurationVar.
func (d *durationValue) String() string {
	if *d == 0 {
		return "0"
	}
	return time.Duration(*d).String()
}

// Type is what the help shows after the flag's name, as for DurationVar.
func (*durationValue) Type() string { return "duration" }
