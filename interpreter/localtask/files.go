package localtask

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxFileBytes bounds a file FilesHandler reads: far above the 256 KiB payload quota
// a task result has, and what an ItemReader may read, yet safe from a huge file.
const maxFileBytes = 256 << 20

// FilesHandler serves S3-style getObject reads from a folder: the task's "Key" names a
// file under it, whose text is the result (a JSON string, as an ItemReader's getObject
// body is). The Bucket is not part of the path. A key can never reach outside the
// folder: "..", an absolute path, or a symbolic link leading out is refused, because
// the folder is opened as an os.Root.
func FilesHandler(folder string) engine.Handler {
	return func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		params, _ := call.Input.(*value.Object)
		var key string
		if params != nil {
			v, _ := params.Get("Key")
			key, _ = v.(string)
		}
		if key == "" {
			return nil, failure.New(failure.TaskFailed, `the getObject call has no "Key" naming a file`)
		}
		root, err := os.OpenRoot(folder)
		if err != nil {
			return nil, failure.New(failure.TaskFailed, fmt.Sprintf("the files folder cannot be opened: %v", err))
		}
		defer root.Close()
		f, err := root.Open(key)
		if err != nil {
			return nil, noSuchKey(key, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err != nil || st.IsDir() {
			return nil, noSuchKey(key, fs.ErrNotExist)
		}
		data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
		if err != nil {
			return nil, failure.New(failure.TaskFailed, fmt.Sprintf("reading %q: %v", key, err))
		}
		if len(data) > maxFileBytes {
			return nil, failure.New(failure.TaskFailed, fmt.Sprintf("%q is larger than %d bytes", key, maxFileBytes))
		}
		return string(data), nil
	}
}

// noSuchKey fails a read the way S3 answers a key it does not have. A key that
// escapes the folder is reported the same way: there is no such object.
func noSuchKey(key string, err error) error {
	why := "there is no such file in the files folder"
	if !errors.Is(err, fs.ErrNotExist) {
		why = "it names no file inside the files folder"
	}
	return failure.New("S3.NoSuchKeyException", fmt.Sprintf("The specified key %q does not exist: %s", key, why))
}
