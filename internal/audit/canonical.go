package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Canonical encodes v as sorted-key JSON with secrets redacted. nil encodes
// as "null".
//
// It marshals v once and rewrites that JSON in place: objects' members
// sorted by key, secret members' values replaced, everything else copied
// as encoding/json wrote it. The result is byte for byte what decoding
// the JSON into generic values and marshalling them again gives (the
// reference in the tests), at a fraction of the cost: every audited write
// pays it inside its transaction.
func Canonical(v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if bytes.Contains(raw, []byte(`\ufffd`)) {
		// Invalid UTF-8 marshals as \ufffd; a second marshal writes the
		// replacement character itself. Take the long way for such text.
		return canonicalGeneric(raw)
	}
	var c canon
	c.out = make([]byte, 0, len(raw)+16)
	if _, err := c.value(raw, 0); err != nil {
		return "", err
	}
	return string(c.out), nil
}

// canonicalGeneric decodes raw into generic values and marshals them again.
func canonicalGeneric(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return "", err
	}
	out, err := json.Marshal(redact(generic))
	return string(out), err
}

func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if isSecret(k) {
				if val != nil && val != "" {
					x[k] = redacted
				}
				continue
			}
			x[k] = redact(val)
		}
		return x
	case []any:
		for i := range x {
			x[i] = redact(x[i])
		}
		return x
	default:
		return v
	}
}

const redacted = "[已隐去]"

// canon rewrites compact JSON as written by encoding/json.
type canon struct{ out []byte }

type member struct {
	key        string // unescaped, for sorting and the secret check
	raw        []byte // the key as written, quotes included
	start, end int    // the value
}

// value writes the JSON value at raw[i:] and returns the index after it.
func (c *canon) value(raw []byte, i int) (int, error) {
	if i >= len(raw) {
		return 0, fmt.Errorf("canonical: JSON ends early")
	}
	switch raw[i] {
	case '{':
		return c.object(raw, i)
	case '[':
		c.out = append(c.out, '[')
		i++
		for first := true; ; first = false {
			if i < len(raw) && raw[i] == ']' {
				c.out = append(c.out, ']')
				return i + 1, nil
			}
			if !first {
				if raw[i] != ',' {
					return 0, fmt.Errorf("canonical: expected , at %d", i)
				}
				c.out = append(c.out, ',')
				i++
			}
			var err error
			if i, err = c.value(raw, i); err != nil {
				return 0, err
			}
		}
	default:
		end, err := skip(raw, i)
		c.out = append(c.out, raw[i:end]...)
		return end, err
	}
}

func (c *canon) object(raw []byte, i int) (int, error) {
	var ms []member
	i++
	for i < len(raw) && raw[i] != '}' {
		if len(ms) > 0 {
			if raw[i] != ',' {
				return 0, fmt.Errorf("canonical: expected , at %d", i)
			}
			i++
		}
		kend, err := skip(raw, i)
		if err != nil {
			return 0, err
		}
		m := member{raw: raw[i:kend], key: string(raw[i+1 : kend-1])}
		if bytes.IndexByte(m.raw, '\\') >= 0 {
			if err := json.Unmarshal(m.raw, &m.key); err != nil {
				return 0, err
			}
		}
		if kend >= len(raw) || raw[kend] != ':' {
			return 0, fmt.Errorf("canonical: expected : at %d", kend)
		}
		m.start = kend + 1
		if m.end, err = skip(raw, m.start); err != nil {
			return 0, err
		}
		ms = append(ms, m)
		i = m.end
	}
	if i >= len(raw) {
		return 0, fmt.Errorf("canonical: JSON ends early")
	}
	// encoding/json writes each key once, so sorting is all there is.
	slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	c.out = append(c.out, '{')
	for n, m := range ms {
		if n > 0 {
			c.out = append(c.out, ',')
		}
		c.out = append(c.out, m.raw...)
		c.out = append(c.out, ':')
		if v := raw[m.start:m.end]; isSecret(m.key) && string(v) != "null" && string(v) != `""` {
			c.out = append(c.out, `"`+redacted+`"`...)
			continue
		}
		if _, err := c.value(raw, m.start); err != nil {
			return 0, err
		}
	}
	c.out = append(c.out, '}')
	return i + 1, nil
}

// skip returns the index after the JSON value at raw[i:].
func skip(raw []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(raw); j++ {
		switch raw[j] {
		case '"':
			for j++; j < len(raw) && raw[j] != '"'; j++ {
				if raw[j] == '\\' {
					j++
				}
			}
			if j >= len(raw) {
				return 0, fmt.Errorf("canonical: unterminated string")
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return j, nil
			}
		case ',', ':':
			if depth == 0 {
				return j, nil
			}
		}
		if depth == 0 && (raw[j] == '"' || raw[j] == '}' || raw[j] == ']') {
			return j + 1, nil
		}
	}
	if depth != 0 {
		return 0, fmt.Errorf("canonical: JSON ends early")
	}
	return len(raw), nil
}
