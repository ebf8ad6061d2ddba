package service

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Page tokens are opaque to callers: the store's cursor, encoded, behind a tag and the
// list it pages (the operation and what it lists, hashed), so that a garbled token, or
// one from another operation or another execution's history, is refused as AWS refuses
// it (InvalidToken) rather than read as a cursor it is not.
const tokenTag = "sd2:"

// pageScope names the list a token pages: an operation and the resource it lists.
type pageScope string

func scopeOf(operation, resource string) pageScope {
	h := sha256.Sum256([]byte(operation + "\x00" + resource))
	return pageScope(hex.EncodeToString(h[:8]))
}

func encodePageToken(scope pageScope, cursor string) *string {
	if cursor == "" {
		return nil
	}
	t := base64.RawURLEncoding.EncodeToString([]byte(tokenTag + string(scope) + ":" + cursor))
	return &t
}

func decodePageToken(scope pageScope, tok *string) (string, error) {
	if tok == nil || *tok == "" {
		return "", nil
	}
	data, err := base64.RawURLEncoding.DecodeString(*tok)
	cursor, ok := strings.CutPrefix(string(data), tokenTag+string(scope)+":")
	if err != nil || !ok {
		return "", errInvalidToken()
	}
	return cursor, nil
}

// pageRequest applies AWS's rules to a list call's maxResults and nextToken (whose
// length limit differs by operation) and returns the page size and the store cursor.
func pageRequest(scope pageScope, max int32, token *string, tokenLimit int) (int, string, error) {
	limit, err := maxResults(max)
	if err != nil {
		return 0, "", err
	}
	if err := checkNextToken(token, tokenLimit); err != nil {
		return 0, "", err
	}
	cursor, err := decodePageToken(scope, token)
	if err != nil {
		return 0, "", err
	}
	return limit, cursor, nil
}
