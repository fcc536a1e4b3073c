package audit_test

import "anwei/internal/org/scope"

func allScope() scope.Scope { return scope.Scope{All: true} }
