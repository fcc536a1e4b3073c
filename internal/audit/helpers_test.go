package audit_test

import (
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

func allScope() scope.Scope { return scope.Scope{All: true} }

// keyed gives db the audit key.
func keyed(db *store.DB, key []byte) { db.AuditKey = key }
