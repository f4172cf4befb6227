// Package soak holds the soak tests of drstemplate: the whole flow against a
// drsfake having a bad day. It has no code of its own; run it with
// `make soak` (300 tasks) or `make soak-short` (the form CI runs).
package soak
