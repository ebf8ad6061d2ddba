package service

import (
	"encoding/base64"
	"strings"
)

// Page tokens are opaque to callers: the store's cursor, encoded, behind a tag that lets
// a token from another call or a garbled one be told apart.
const tokenTag = "sd1:"

func encodePageToken(cursor string) *string {
	if cursor == "" {
		return nil
	}
	t := base64.RawURLEncoding.EncodeToString([]byte(tokenTag + cursor))
	return &t
}

func decodePageToken(tok *string) (string, error) {
	if tok == nil || *tok == "" {
		return "", nil
	}
	data, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil || !strings.HasPrefix(string(data), tokenTag) {
		return "", errInvalidToken()
	}
	return strings.TrimPrefix(string(data), tokenTag), nil
}

// pageRequest applies AWS's rules to a list call's maxResults and nextToken (whose
// length limit differs by operation) and returns the page size and the store cursor.
func pageRequest(max int32, token *string, tokenLimit int) (int, string, error) {
	limit, err := maxResults(max)
	if err != nil {
		return 0, "", err
	}
	if err := checkNextToken(token, tokenLimit); err != nil {
		return 0, "", err
	}
	cursor, err := decodePageToken(token)
	if err != nil {
		return 0, "", err
	}
	return limit, cursor, nil
}
