package localtask

import (
	"bytes"
	"io"
	"net/http"
)

// bufferedBodies hands the transport its own copy of each request body. The SDK closes
// a request's body as soon as the response headers arrive; if the transport is still
// reading that body then (it reads past the last byte to check the length), it closes
// the connection, and the response body, still in flight, fails with "use of closed
// network connection". A fast endpoint answering a large payload hits this often.
type bufferedBodies struct{ next http.RoundTripper }

func (b bufferedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return b.next.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	own := r.Clone(r.Context())
	own.Body = io.NopCloser(bytes.NewReader(data))
	own.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return b.next.RoundTrip(own)
}
