// Package memnet is an in-memory network for one server: a net.Listener
// whose connections are made by its DialContext, each a net.Pipe.
//
// It is for tests in a testing/synctest bubble. A goroutine blocked on a
// loopback socket is not durably blocked, so a bubble whose client or server
// waits on one never moves its clock; blocked on a pipe, it is, and a fake
// service, a client and their timers all run on the bubble's fake time.
package memnet

import (
	"context"
	"net"
	"sync"
)

// Listener is a net.Listener of in-memory connections. Serve an
// http.Server on it and dial it with an http.Transport whose DialContext is
// the Listener's: the address dialled does not matter.
type Listener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

// Listen returns a Listener that accepts connections until it is closed.
func Listen() *Listener {
	return &Listener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept waits for the next connection made by DialContext.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and DialContext; connections already made stay open.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr returns the listener's placeholder address, "memnet".
func (l *Listener) Addr() net.Addr { return addr{} }

// DialContext connects to the listener, whatever network and address it is
// given; it fits http.Transport.DialContext.
func (l *Listener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type addr struct{}

func (addr) Network() string { return "memnet" }
func (addr) String() string  { return "memnet" }
