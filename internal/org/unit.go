package org

import (
	"strings"
	"time"

	"anwei/internal/apperr"
)

// UnitKind is what sort of organisation a unit is.
type UnitKind string

const (
	KindGovernment       UnitKind = "government"        // 人民政府
	KindCommittee        UnitKind = "committee"         // 安全生产委员会
	KindCommitteeOffice  UnitKind = "committee_office"  // 安委会办公室
	KindSpecialCommittee UnitKind = "special_committee" // 专业委员会
	KindDepartment       UnitKind = "department"        // 政府部门 / 成员单位
	KindStreet           UnitKind = "street"            // 街道办事处 / 乡镇人民政府
	KindZone             UnitKind = "zone"              // 功能区 / 园区
	KindEnterprise       UnitKind = "enterprise"        // 生产经营单位
	KindExpertPool       UnitKind = "expert_pool"       // 专家库
)

// UnitKinds lists the kinds in display order.
var UnitKinds = []UnitKind{KindGovernment, KindCommittee, KindCommitteeOffice, KindSpecialCommittee,
	KindDepartment, KindStreet, KindZone, KindEnterprise, KindExpertPool}

var kindNames = map[UnitKind]string{
	KindGovernment: "人民政府", KindCommittee: "安委会", KindCommitteeOffice: "安委会办公室",
	KindSpecialCommittee: "专业委员会", KindDepartment: "政府部门", KindStreet: "街道/乡镇",
	KindZone: "功能区/园区", KindEnterprise: "企业", KindExpertPool: "专家库",
}

// Name is the kind's Chinese name.
func (k UnitKind) Name() string { return kindNames[k] }

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool { _, ok := kindNames[k]; return ok }

// Unit is an organisation: a government, department, committee, street
// office, zone, enterprise or expert pool.
type Unit struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	ShortName  string    `json:"short_name"`
	Kind       UnitKind  `json:"kind"`
	Level      Level     `json:"level"`
	RegionCode string    `json:"region_code"`
	RegionName string    `json:"region_name,omitempty"`
	ParentID   int64     `json:"parent_id,omitempty"`
	Active     bool      `json:"active"`
	Aliases    []string  `json:"aliases"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Ref returns the unit's reference.
func (u Unit) Ref() UnitRef {
	return UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind, Level: u.Level, Region: u.RegionCode}
}

// UnitInput is what a person enters to create or edit a unit.
type UnitInput struct {
	Name       string   `json:"name"`
	ShortName  string   `json:"short_name"`
	Kind       UnitKind `json:"kind"`
	RegionCode string   `json:"region_code"`
	Level      Level    `json:"level"` // used only when RegionCode is empty (a zone without a code)
	ParentID   int64    `json:"parent_id"`
	Aliases    []string `json:"aliases"`
}

// Normalize trims the input and drops empty or duplicate aliases.
func (in *UnitInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.ShortName = strings.TrimSpace(in.ShortName)
	in.RegionCode = strings.TrimSpace(in.RegionCode)
	var aliases []string
	seen := map[string]bool{in.Name: true}
	for _, a := range in.Aliases {
		a = strings.TrimSpace(a)
		if a != "" && !seen[a] {
			seen[a] = true
			aliases = append(aliases, a)
		}
	}
	in.Aliases = aliases
}

// Validate checks the input's own fields (not its references), every one
// at once (issue 16.2), in the form's order.
func (in UnitInput) Validate() error {
	var c apperr.Checks
	c.If(in.Name == "", "name", "单位名称不能为空")
	texts := []apperr.Text{text("name", "单位名称", in.Name), text("short_name", "简称", in.ShortName)}
	for _, a := range in.Aliases {
		texts = append(texts, text("aliases", "每个别名", a))
	}
	if err := c.Take(apperr.Lengths(texts...)); err != nil {
		return err
	}
	c.If(!in.Kind.Valid(), "kind", "请选择单位类别")
	c.If(in.RegionCode == "" && in.Kind != KindZone && in.Kind != KindExpertPool, "region_code", "请选择所属行政区划 (只有功能区和专家库可以不填)")
	return c.Err()
}

// CommitteeRole is a unit's place in a 安委会.
type CommitteeRole string

const (
	CommitteeMember  CommitteeRole = "member"  // 成员单位
	CommitteeSpecial CommitteeRole = "special" // 专业委员会
	CommitteeOffice  CommitteeRole = "office"  // 办公室
)

var committeeRoleNames = map[CommitteeRole]string{
	CommitteeMember: "成员单位", CommitteeSpecial: "专业委员会", CommitteeOffice: "办公室",
}

// Name is the committee role's Chinese name.
func (r CommitteeRole) Name() string { return committeeRoleNames[r] }

// Valid reports whether r is a known committee role.
func (r CommitteeRole) Valid() bool { _, ok := committeeRoleNames[r]; return ok }

// Member is a unit's membership in a committee.
type Member struct {
	CommitteeID int64         `json:"committee_id"`
	Unit        Unit          `json:"unit"`
	Role        CommitteeRole `json:"role"`
}
