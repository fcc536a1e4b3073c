// Package apperr holds anwei's domain errors: a stable code that the web layer
// maps to an HTTP status in one place, a Chinese message for the user, and the
// field the message is about.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error.
type Code string

const (
	Invalid         Code = "invalid"         // bad input
	NotFound        Code = "not_found"       // no such object, or outside the actor's scope
	Forbidden       Code = "forbidden"       // the actor lacks the permission
	Unauthenticated Code = "unauthenticated" // no valid session or token
	Conflict        Code = "conflict"        // duplicate or state conflict
	Internal        Code = "internal"
)

// Error is a domain error.
type Error struct {
	Code    Code
	Message string // Chinese, for the user
	Field   string // the input field concerned, if any (the first, when several are)
	Err     error  // the underlying cause, if any (not shown to users)
	// Fields are every field found wrong at once (Checks), the first
	// being Field and Message; empty for an error about one field.
	Fields []FieldErr
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an error with a code and message.
func New(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Field makes an Invalid error about one input field.
func Field(field, msg string) *Error { return &Error{Code: Invalid, Field: field, Message: msg} }

// Wrap makes an Internal error around err.
func Wrap(err error, msg string) *Error { return &Error{Code: Internal, Message: msg, Err: err} }

// CodeOf returns the code of err (Internal for foreign errors, "" for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as an *Error, wrapping foreign errors as Internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "系统内部错误，请稍后重试", Err: err}
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// FieldOf is the input field an Invalid error names ("" otherwise).
func FieldOf(err error) string {
	if e := As(err); e != nil && e.Code == Invalid {
		return e.Field
	}
	return ""
}
