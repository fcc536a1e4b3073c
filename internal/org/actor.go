package org

import (
	"slices"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org/scope"
)

// Actor is an authenticated user acting in a request: who, in which unit,
// with which roles, seeing which scope.
type Actor struct {
	UserID   int64       `json:"id"`
	Username string      `json:"username"`
	Name     string      `json:"display_name"`
	Unit     UnitRef     `json:"unit"`
	Roles    []Role      `json:"roles"`
	Perms    []Perm      `json:"permissions"`
	Scope    scope.Scope `json:"scope"`
}

// UnitRef is the part of a unit an actor carries.
type UnitRef struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Kind   UnitKind `json:"kind"`
	Level  Level    `json:"level"`
	Region string   `json:"region_code"`
}

// NewActor builds an actor and derives its permissions and scope.
func NewActor(userID int64, username, name string, unit UnitRef, roles []Role) *Actor {
	return &Actor{UserID: userID, Username: username, Name: name, Unit: unit, Roles: roles,
		Perms: PermsOf(roles), Scope: ScopeOf(unit, roles)}
}

// ScopeOf derives what holders of roles in unit may see (DESIGN.md,
// jurisdiction): the office and territorial governments see their region
// subtree; departments and officers their own unit, the enterprises they
// supervise and explicit grants; an enterprise only itself; an expert what it
// is granted.
func ScopeOf(u UnitRef, roles []Role) scope.Scope {
	var s scope.Scope
	for _, r := range roles {
		var rs scope.Scope
		switch r {
		case RoleAdmin:
			rs = scope.Scope{All: true}
		case RoleOffice, RoleTerritorial:
			rs = scope.Scope{Units: []int64{u.ID}, Grantee: u.ID, Area: u.Region}
			if u.Region != "" {
				rs.Regions = []string{u.Region}
			}
		case RoleMember, RoleOfficer:
			rs = scope.Scope{Units: []int64{u.ID}, Grantee: u.ID, Area: u.Region}
		case RoleEnterprise:
			rs = scope.Scope{Units: []int64{u.ID}}
		case RoleExpert:
			rs = scope.Scope{Units: []int64{u.ID}, Grantee: u.ID}
		}
		s = s.Union(rs)
	}
	return s
}

// Can reports whether the actor holds the permission.
func (a *Actor) Can(p Perm) bool { return a != nil && slices.Contains(a.Perms, p) }

// Has reports whether the actor holds the role.
func (a *Actor) Has(r Role) bool { return a != nil && slices.Contains(a.Roles, r) }

// Require returns a Forbidden error unless the actor holds the permission.
func (a *Actor) Require(p Perm) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if !a.Can(p) {
		return apperr.New(apperr.Forbidden, "无权限: 需要「"+p.Name()+"」权限")
	}
	return nil
}

// Who is the actor as recorded in audit events.
func (a *Actor) Who() audit.Who {
	return audit.Who{UserID: a.UserID, Name: a.Username, UnitID: a.Unit.ID, Region: a.Unit.Region}
}
