package org

import (
	"regexp"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/rules"
)

// User is a person with an account. The public has none.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	UnitID      int64      `json:"unit_id"`
	UnitName    string     `json:"unit_name"`
	Phone       string     `json:"phone"`
	Roles       []Role     `json:"roles"`
	Active      bool       `json:"active"`
	LockedUntil *time.Time `json:"locked_until,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// UserInput is what a person enters to create or edit a user.
type UserInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	UnitID      int64  `json:"unit_id"`
	Phone       string `json:"phone"`
	Roles       []Role `json:"roles"`
	Password    string `json:"password,omitempty"` // only on create
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

// Normalize trims the input.
func (in *UserInput) Normalize() {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Phone = strings.TrimSpace(in.Phone)
}

// Validate checks the input's own fields, every one at once (issue 16.2),
// in the form's order.
func (in UserInput) Validate() error { c := in.checks(); return c.Err() }

func (in UserInput) checks() apperr.Checks {
	var c apperr.Checks
	c.If(!usernameRE.MatchString(in.Username), "username", "用户名须为 3–32 位小写字母、数字、下划线、点或连字符，以字母开头")
	c.If(in.DisplayName == "", "display_name", "姓名不能为空")
	_ = c.Take(apperr.Lengths(text("display_name", "姓名", in.DisplayName), text("phone", "电话", in.Phone)))
	c.If(in.UnitID == 0, "unit_id", "请选择所属单位")
	c.If(in.Phone != "" && !rules.ValidPhone(in.Phone), "phone", "电话「"+in.Phone+"」应为"+rules.PhoneHint)
	c.If(len(in.Roles) == 0, "roles", "请至少选择一个角色")
	for _, r := range in.Roles {
		if !r.Valid() {
			c.Add("roles", "未知角色「"+string(r)+"」")
			break
		}
	}
	return c
}

// RoleFitsUnit checks that a role suits the kind of unit the user belongs to
// (an enterprise account cannot be an office, and so on).
func RoleFitsUnit(r Role, k UnitKind) bool {
	switch r {
	case RoleEnterprise:
		return k == KindEnterprise
	case RoleExpert:
		return k == KindExpertPool
	case RoleOffice:
		return k == KindCommitteeOffice || k == KindCommittee
	case RoleTerritorial:
		return k == KindGovernment || k == KindStreet || k == KindZone
	case RoleMember, RoleOfficer:
		return k == KindDepartment || k == KindSpecialCommittee || k == KindStreet || k == KindZone
	case RoleAdmin:
		return k != KindEnterprise
	}
	return false
}
