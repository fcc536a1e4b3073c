package apperr

import "errors"

// FieldErr is what is wrong with one input field.
type FieldErr struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Checks collects what is wrong with a form's fields, in the form's order,
// so the user is told of every field at once (issue 16.2) rather than one
// per submission.
type Checks []FieldErr

// Add notes that field is wrong, saying msg.
func (c *Checks) Add(field, msg string) { *c = append(*c, FieldErr{field, msg}) }

// If notes that field is wrong when bad.
func (c *Checks) If(bad bool, field, msg string) {
	if bad {
		c.Add(field, msg)
	}
}

// Take notes the fields an Invalid error names and reports nil; any other
// error it hands back, for the caller to return at once.
func (c *Checks) Take(err error) error {
	var e *Error
	if err == nil {
		return nil
	}
	if !errors.As(err, &e) || e.Code != Invalid || e.Field == "" {
		return err
	}
	if len(e.Fields) > 0 {
		*c = append(*c, e.Fields...)
	} else {
		c.Add(e.Field, e.Message)
	}
	return nil
}

// Err is nil when nothing was noted, else an Invalid error naming every
// field: its Field and Message are the first's (what a client reading one
// field sees), Fields all of them.
func (c Checks) Err() error {
	if len(c) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Field: c[0].Field, Message: c[0].Message, Fields: append([]FieldErr(nil), c...)}
}

// On is the message about field in err ("" when err says nothing of it).
func On(err *Error, field string) string {
	if err == nil || err.Code != Invalid {
		return ""
	}
	for _, f := range err.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	if err.Field == field {
		return err.Message
	}
	return ""
}

// All is every complaint of e in one line, "；" between them (an imported
// row's reason: each field wrong in it, not only the first).
func (e *Error) All() string {
	if len(e.Fields) < 2 {
		return e.Message
	}
	out := make([]byte, 0, 64*len(e.Fields))
	for i, f := range e.Fields {
		if i > 0 {
			out = append(out, "；"...)
		}
		out = append(out, f.Message...)
	}
	return string(out)
}

// Renamed is err with its complaints about field from said of field to:
// a page whose form names a field otherwise than the API (the hazard
// report's enterprise is typed by name on the page, an id in the API).
func Renamed(err error, from, to string) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != Invalid {
		return err
	}
	out := *e
	if out.Field == from {
		out.Field = to
	}
	out.Fields = append([]FieldErr(nil), e.Fields...)
	for i := range out.Fields {
		if out.Fields[i].Field == from {
			out.Fields[i].Field = to
		}
	}
	return &out
}
